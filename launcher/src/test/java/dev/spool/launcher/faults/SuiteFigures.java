package dev.spool.launcher.faults;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one run of the suite did, printed for the person reading the build log and kept as JSON.
 *
 * @param jobsTarget jobs the run was asked for
 * @param jobsAccepted uploads answered 202
 * @param faultsPlayed faults begun and ended
 * @param uploadRequests upload requests sent, retries included
 * @param uploadsRefused refusals by HTTP status (429, 503, 409); each was sent again after its {@code Retry-After}
 * @param uploadsUnanswered sends that got no answer (connection lost, timeout) and were sent again
 * @param idempotentReplays sends answered with the remembered answer of an earlier send of the same upload
 * @param retryScheduled retry-scheduled facts: attempts that failed and were tried again
 * @param jobsRetried jobs with at least one retry
 * @param completed jobs completed
 * @param failed jobs failed with a permanent error
 * @param deadLettered jobs dead-lettered
 * @param lost accepted jobs that reached no terminal state
 * @param faults each fault's timing and recovery
 * @param wallSeconds the run's time from the first upload to the end of the audit
 */
public record SuiteFigures(int jobsTarget, int jobsAccepted, int faultsPlayed, long uploadRequests,
        Map<Integer, Long> uploadsRefused, long uploadsUnanswered, long idempotentReplays, long retryScheduled,
        long jobsRetried, long completed, long failed, long deadLettered, long lost, List<FaultFigure> faults,
        double wallSeconds) {

    /**
     * One fault of the script.
     *
     * @param fault what broke
     * @param beganAtSeconds when it began, counted from the start of the script
     * @param periodSeconds how long it lasted, from begin to repaired
     * @param recoverySeconds from its end until a job completed after it was completed in MongoDB and Redis
     */
    public record FaultFigure(String fault, double beganAtSeconds, double periodSeconds, double recoverySeconds) {
    }

    public SuiteFigures {
        uploadsRefused = new TreeMap<>(uploadsRefused);
        faults = List.copyOf(faults);
    }

    /** Refusals of every status together. */
    public long uploadsRefusedTotal() {
        return uploadsRefused.values().stream().mapToLong(Long::longValue).sum();
    }

    public void print(PrintStream out) {
        StringBuilder text = new StringBuilder(1024)
                .append("\n=============== Fault-injection suite ===============\n")
                .append(String.format("jobs accepted         %d (target %d)%n", jobsAccepted, jobsTarget))
                .append(String.format("faults played         %d%n", faultsPlayed))
                .append(String.format("upload requests       %d%n", uploadRequests))
                .append(String.format("uploads refused       %d %s, all sent again%n", uploadsRefusedTotal(), uploadsRefused))
                .append(String.format("uploads unanswered    %d, sent again%n", uploadsUnanswered))
                .append(String.format("idempotent replays    %d%n", idempotentReplays))
                .append(String.format("retries scheduled     %d (%d jobs)%n", retryScheduled, jobsRetried))
                .append(String.format("completed             %d%n", completed))
                .append(String.format("failed                %d%n", failed))
                .append(String.format("dead-lettered         %d%n", deadLettered))
                .append(String.format("lost                  %d%n", lost))
                .append("fault                  began s  lasted s  recovered after s\n");
        for (FaultFigure fault : faults) {
            text.append(String.format("%-22s %7.1f  %8.1f  %8.1f%n", fault.fault(), fault.beganAtSeconds(),
                    fault.periodSeconds(), fault.recoverySeconds()));
        }
        text.append(String.format("wall time             %.1f s%n", wallSeconds))
                .append("=====================================================\n");
        out.print(text);
        out.flush();
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
            Files.writeString(file, json.writeValueAsString(this));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
