package dev.spool.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server-sent-event subscriber, fed line by line by the JDK HTTP client without a thread of its own. It notes
 * when its first event came (connected) and, for each round of the bench, when the event carrying that round's
 * progress value arrived.
 */
final class SseSubscriber implements Flow.Subscriber<String> {

    private static final Pattern PROGRESS = Pattern.compile("\"progress\":(\\d+)");

    private final CountDownLatch connected;
    private final AtomicLongArray arrivals;
    private final int[] percents;
    private String event = "message";
    private final StringBuilder data = new StringBuilder();
    private boolean seenFirst;
    private volatile boolean ended;

    /**
     * @param connected counted down at this subscriber's first event
     * @param percents the progress value each round publishes
     */
    SseSubscriber(CountDownLatch connected, int[] percents) {
        this.connected = connected;
        this.percents = percents;
        this.arrivals = new AtomicLongArray(percents.length);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
        if (!line.isEmpty()) {
            if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            }
            return;
        }
        if (!"heartbeat".equals(event) && data.length() > 0) {
            received(data.toString());
        }
        event = "message";
        data.setLength(0);
    }

    private void received(String json) {
        long now = System.nanoTime();
        if (!seenFirst) {
            seenFirst = true;
            connected.countDown();
        }
        Matcher matcher = PROGRESS.matcher(json);
        if (matcher.find()) {
            int progress = Integer.parseInt(matcher.group(1));
            for (int round = 0; round < percents.length; round++) {
                if (percents[round] == progress) {
                    arrivals.compareAndSet(round, 0, now);
                }
            }
        }
    }

    @Override
    public void onError(Throwable throwable) {
        ended = true;
    }

    @Override
    public void onComplete() {
        ended = true;
    }

    /** When the event of {@code round} arrived ({@link System#nanoTime()}), or 0 when it did not. */
    long arrival(int round) {
        return arrivals.get(round);
    }

    boolean ended() {
        return ended;
    }
}
