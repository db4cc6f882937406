package dev.spool.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    @Test
    void anItemAloneCommitsAtOnceOnItsOwn() throws Exception {
        List<List<Integer>> commits = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit<Integer> group = new GroupCommit<>("test", commits::add, 2, 10)) {
            group.submit(List.of(1, 2)).get(5, TimeUnit.SECONDS);
        }
        assertThat(commits).containsExactly(List.of(1, 2));
    }

    @Test
    void itemsWaitingWhileEveryWorkerCommitsGoTogetherInTheNextCommit() throws Exception {
        CountDownLatch firstCommitStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<Integer>> commits = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit<Integer> group = new GroupCommit<>("test", items -> {
            commits.add(items);
            firstCommitStarted.countDown();
            await(release);
        }, 1, 100)) {
            CompletableFuture<Void> first = group.submit(List.of(0));
            assertThat(firstCommitStarted.await(5, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<Void>> waiting = IntStream.rangeClosed(1, 50)
                    .mapToObj(i -> group.submit(List.of(i))).toList();
            release.countDown();

            first.get(5, TimeUnit.SECONDS);
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        }
        assertThat(commits).hasSize(2);
        assertThat(commits.get(1)).containsExactlyElementsOf(IntStream.rangeClosed(1, 50).boxed().toList());
    }

    @Test
    void aBatchStopsAtItsMostAndTheRestGoesInTheNext() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<List<Integer>> commits = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit<Integer> group = new GroupCommit<>("test", items -> {
            commits.add(items);
            await(release);
        }, 1, 10)) {
            CompletableFuture<Void> blocker = group.submit(List.of(-1));
            waitUntil(() -> commits.size() == 1);
            List<CompletableFuture<Void>> waiting = IntStream.range(0, 25).mapToObj(i -> group.submit(List.of(i))).toList();
            release.countDown();
            blocker.get(5, TimeUnit.SECONDS);
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        }
        assertThat(commits.subList(1, commits.size())).extracting(List::size).containsExactly(10, 10, 5);
    }

    @Test
    void aFailedCommitFailsEveryItemItCarriedAndTheNextCommitsAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        IllegalStateException brokerDown = new IllegalStateException("broker down");
        List<List<Integer>> commits = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit<Integer> group = new GroupCommit<>("test", items -> {
            commits.add(items);
            if (items.contains(-1)) {
                await(release);
            } else if (items.contains(1)) {
                throw brokerDown;
            }
        }, 1, 100)) {
            CompletableFuture<Void> blocker = group.submit(List.of(-1));
            waitUntil(() -> commits.size() == 1);
            CompletableFuture<Void> one = group.submit(List.of(1));
            CompletableFuture<Void> two = group.submit(List.of(2));
            release.countDown();
            blocker.get(5, TimeUnit.SECONDS);

            assertThatThrownBy(() -> one.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasCause(brokerDown);
            assertThatThrownBy(() -> two.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasCause(brokerDown);
            group.submit(List.of(3)).get(5, TimeUnit.SECONDS);
        }
        assertThat(commits).containsExactly(List.of(-1), List.of(1, 2), List.of(3));
    }

    @Test
    void closingCommitsWhatIsQueuedAndRefusesWhatComesAfter() throws Exception {
        List<List<Integer>> commits = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer> group = new GroupCommit<>("test", commits::add, 2, 10);
        CompletableFuture<Void> queued = group.submit(List.of(7));
        group.close();

        queued.get(5, TimeUnit.SECONDS);
        assertThat(commits).containsExactly(List.of(7));
        assertThatThrownBy(() -> group.submit(List.of(8)).get(5, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(IllegalStateException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void waitUntil(BooleanSupplier condition) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(condition::getAsBoolean);
    }
}
