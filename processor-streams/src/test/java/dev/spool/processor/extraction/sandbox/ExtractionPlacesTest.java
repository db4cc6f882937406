package dev.spool.processor.extraction.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spool.schemas.event.Priority;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Places for extractions: a tier's own first, a shared one to the most urgent tier waiting. */
class ExtractionPlacesTest {

    @Test
    void aTierTakesItsOwnPlaceFirstThenASharedOne() {
        ExtractionPlaces places = new ExtractionPlaces(Map.of(Priority.NORMAL, 1), 1);

        assertThat(places.tryAcquire(Priority.NORMAL).shared()).isFalse();
        assertThat(places.tryAcquire(Priority.NORMAL).shared()).isTrue();
        assertThat(places.tryAcquire(Priority.NORMAL)).isNull();
        assertThat(places.total()).isEqualTo(2);
    }

    @Test
    void aLowBacklogTakesTheSharedPlacesButNeverTheHighTiersOwn() {
        ExtractionPlaces places = new ExtractionPlaces(Map.of(Priority.HIGH, 1, Priority.LOW, 1), 2);
        for (int i = 0; i < 3; i++) {
            assertThat(places.tryAcquire(Priority.LOW)).isNotNull();
        }

        assertThat(places.tryAcquire(Priority.LOW)).isNull();
        assertThat(places.tryAcquire(Priority.HIGH)).isEqualTo(new ExtractionPlaces.Place(Priority.HIGH, false));
    }

    @Test
    void aSharedPlaceThatComesFreeGoesToTheMostUrgentTierWaiting() throws Exception {
        ExtractionPlaces places = new ExtractionPlaces(Map.of(Priority.HIGH, 1, Priority.LOW, 1), 1);
        ExtractionPlaces.Place high = places.tryAcquire(Priority.HIGH);
        places.tryAcquire(Priority.LOW);
        ExtractionPlaces.Place shared = places.tryAcquire(Priority.LOW);
        assertThat(shared.shared()).isTrue();

        CompletableFuture<ExtractionPlaces.Place> lowWaiter = acquireInBackground(places, Priority.LOW);
        await().atMost(Duration.ofSeconds(10)).until(() -> places.waiting(Priority.LOW) == 1);
        CompletableFuture<ExtractionPlaces.Place> highWaiter = acquireInBackground(places, Priority.HIGH);
        await().atMost(Duration.ofSeconds(10)).until(() -> places.waiting(Priority.HIGH) == 1);

        places.release(shared);

        assertThat(highWaiter.get(10, TimeUnit.SECONDS)).isEqualTo(new ExtractionPlaces.Place(Priority.HIGH, true));
        assertThat(lowWaiter).isNotDone();
        places.release(high);
        assertThat(lowWaiter).as("a high place is not the low tier's").isNotDone();
        places.release(highWaiter.get());
        assertThat(lowWaiter.get(10, TimeUnit.SECONDS)).isEqualTo(new ExtractionPlaces.Place(Priority.LOW, true));
    }

    @Test
    void givingBackAPlaceNeverTakenIsAnError() {
        ExtractionPlaces places = new ExtractionPlaces(Map.of(Priority.NORMAL, 1), 1);

        assertThatThrownBy(() -> places.release(new ExtractionPlaces.Place(Priority.NORMAL, true)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> places.release(new ExtractionPlaces.Place(Priority.NORMAL, false)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ExtractionPlaces(Map.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static CompletableFuture<ExtractionPlaces.Place> acquireInBackground(ExtractionPlaces places, Priority tier) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return places.acquire(tier);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, runnable -> {
            Thread thread = new Thread(runnable, "places-" + tier.wireName());
            thread.setDaemon(true);
            thread.start();
        });
    }
}
