package dev.spool.launcher.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays faults one after another: each is begun, held for its period, ended, and then the pipeline is given time to
 * recover before the next one begins, so that every recovery is measured on its own.
 */
public final class FaultScript {

    private static final Logger LOG = LoggerFactory.getLogger(FaultScript.class);

    private final List<Fault> faults;
    private final RecoveryProbe recovery;

    public FaultScript(List<Fault> faults, RecoveryProbe recovery) {
        this.faults = List.copyOf(faults);
        this.recovery = recovery;
    }

    /** Plays every fault; returns what each one cost. */
    public List<SuiteFigures.FaultFigure> play() {
        Instant scriptStart = Instant.now();
        List<SuiteFigures.FaultFigure> figures = new ArrayList<>();
        for (Fault fault : faults) {
            Instant began = Instant.now();
            LOG.info("Fault {} begins", fault.name());
            fault.begin().run();
            hold(fault.period());
            fault.end().run();
            Instant ended = Instant.now();
            LOG.info("Fault {} ended after {}", fault.name(), Duration.between(began, ended));
            Duration recovered = recovery.awaitRecovery(ended, fault.resumedBy());
            LOG.info("Pipeline completed jobs again {} after fault {} ended", recovered, fault.name());
            figures.add(new SuiteFigures.FaultFigure(fault.name(), seconds(Duration.between(scriptStart, began)),
                    seconds(Duration.between(began, ended)), seconds(recovered)));
        }
        return figures;
    }

    /** The fault's period is the scenario's own time: nothing is awaited, the outage simply lasts. */
    private static void hold(Duration period) {
        try {
            Thread.sleep(period.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while holding a fault", e);
        }
    }

    private static double seconds(Duration duration) {
        return Math.round(duration.toMillis() / 100.0) / 10.0;
    }
}
