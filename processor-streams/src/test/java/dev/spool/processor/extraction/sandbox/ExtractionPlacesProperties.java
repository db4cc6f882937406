package dev.spool.processor.extraction.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.schemas.event.Priority;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever tiers ask for places and give them back, in any order: no tier ever holds more of its own places than it
 * has, the shared ones are never overbooked, and a tier is refused only when its own places and every shared one are
 * taken, so a backlog in one tier never takes another tier's own places.
 */
class ExtractionPlacesProperties {

    @Property
    void placesAreNeverOverbookedAndATierIsRefusedOnlyWhenItsOwnAndTheSharedOnesAreTaken(
            @ForAll @IntRange(max = 3) int high, @ForAll @IntRange(max = 3) int normal, @ForAll @IntRange(max = 3) int low,
            @ForAll @IntRange(max = 3) int shared, @ForAll("steps") List<Step> steps) {
        Map<Priority, Integer> own = new EnumMap<>(Map.of(Priority.HIGH, high, Priority.NORMAL, normal, Priority.LOW, low));
        if (high + normal + low + shared == 0) {
            return;
        }
        ExtractionPlaces places = new ExtractionPlaces(own, shared);
        List<ExtractionPlaces.Place> held = new ArrayList<>();

        for (Step step : steps) {
            if (step.giveBack() && !held.isEmpty()) {
                places.release(held.remove(Math.floorMod(step.pick(), held.size())));
            } else {
                int ownTakenBefore = places.ownTaken(step.tier());
                int sharedTakenBefore = places.sharedTaken();
                ExtractionPlaces.Place place = places.tryAcquire(step.tier());
                if (place == null) {
                    assertThat(ownTakenBefore).as("refused with an own place free").isEqualTo(own.get(step.tier()));
                    assertThat(sharedTakenBefore).as("refused with a shared place free").isEqualTo(shared);
                } else {
                    assertThat(place.tier()).isEqualTo(step.tier());
                    assertThat(place.shared()).as("shared although an own place was free")
                            .isEqualTo(ownTakenBefore == own.get(step.tier()));
                    held.add(place);
                }
            }
            for (Priority tier : Priority.values()) {
                assertThat(places.ownTaken(tier)).isBetween(0, own.get(tier))
                        .isEqualTo(held.stream().filter(p -> p.tier() == tier && !p.shared()).count());
            }
            assertThat(places.sharedTaken()).isBetween(0, shared)
                    .isEqualTo(held.stream().filter(ExtractionPlaces.Place::shared).count());
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.of(Priority.class)
                .flatMap(tier -> Arbitraries.integers().between(0, 100)
                        .flatMap(pick -> Arbitraries.of(true, false).map(giveBack -> new Step(tier, giveBack, pick))))
                .list().ofMaxSize(60);
    }

    /** Ask for a place for {@code tier}, or give back the {@code pick}-th one held. */
    record Step(Priority tier, boolean giveBack, int pick) {
    }
}
