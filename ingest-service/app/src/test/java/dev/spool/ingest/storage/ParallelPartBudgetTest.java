package dev.spool.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ParallelPartBudgetTest {

    @Test
    void anUploadsFirstPartNeverWaitsEvenWithTheBudgetSpent() {
        ParallelPartBudget budget = new ParallelPartBudget(4, 0);

        assertThat(budget.tryTake(0)).isTrue();
        assertThat(budget.tryTake(1)).isFalse();
    }

    @Test
    void anUploadHasAtMostItsWindowInFlight() {
        ParallelPartBudget budget = new ParallelPartBudget(3, 10);

        assertThat(budget.tryTake(1)).isTrue();
        assertThat(budget.tryTake(2)).isTrue();
        assertThat(budget.tryTake(3)).isFalse();
        assertThat(budget.available()).isEqualTo(8);
    }

    @Test
    void uploadsShareTheBudgetAndAGivenBackSlotServesTheNext() {
        ParallelPartBudget budget = new ParallelPartBudget(4, 2);

        assertThat(budget.tryTake(1)).as("upload A's second part").isTrue();
        assertThat(budget.tryTake(1)).as("upload B's second part").isTrue();
        assertThat(budget.tryTake(1)).as("upload C's second part").isFalse();
        budget.giveBack();
        assertThat(budget.tryTake(1)).as("upload C's second part, once A's is stored").isTrue();
        assertThat(budget.available()).isZero();
    }
}
