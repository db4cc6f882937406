package dev.spool.ingest.integrity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request body sent as a client on a real network would: in pieces of random sizes, with random short pauses,
 * and, when asked, broken off after {@code cutAt} bytes as a client that crashes or loses its connection.
 * Each subscription sends from its own thread, so the pace is the body's and not the HTTP client's.
 */
final class PacedBody implements Flow.Publisher<ByteBuffer> {

    private final byte[] bytes;
    private final int from;
    private final int to;
    private final long seed;
    private final long cutAt;

    /**
     * @param cutAt bytes sent before the body fails, or -1 to send it all
     */
    PacedBody(byte[] bytes, int from, int to, long seed, long cutAt) {
        this.bytes = bytes;
        this.from = from;
        this.to = to;
        this.seed = seed;
        this.cutAt = cutAt;
    }

    /** How many bytes the body has when it is not cut. */
    long length() {
        return to - from;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        Semaphore demand = new Semaphore(0);
        AtomicBoolean cancelled = new AtomicBoolean();
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                demand.release((int) Math.min(n, Integer.MAX_VALUE / 2));
            }

            @Override
            public void cancel() {
                cancelled.set(true);
                demand.release(1);
            }
        });
        Thread sender = new Thread(() -> send(subscriber, demand, cancelled), "paced-body");
        sender.setDaemon(true);
        sender.start();
    }

    private void send(Flow.Subscriber<? super ByteBuffer> subscriber, Semaphore demand, AtomicBoolean cancelled) {
        Random random = new Random(seed);
        int position = from;
        try {
            while (position < to) {
                int piece = pieceSize(random);
                int end = (int) Math.min(to, (long) position + piece);
                if (cutAt >= 0 && end - from >= cutAt) {
                    end = (int) (from + cutAt);
                }
                if (end > position) {
                    demand.acquire();
                    if (cancelled.get()) {
                        return;
                    }
                    subscriber.onNext(ByteBuffer.wrap(bytes, position, end - position).slice());
                    position = end;
                }
                if (cutAt >= 0 && position - from >= cutAt) {
                    pause(random, 5);
                    subscriber.onError(new IOException("client broke off the body after " + cutAt + " bytes"));
                    return;
                }
                if (random.nextInt(8) == 0) {
                    pause(random, 3);
                }
            }
            subscriber.onComplete();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            subscriber.onError(e);
        }
    }

    /** Mostly network-sized pieces, sometimes a single byte or a very large write. */
    private static int pieceSize(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> 1 + random.nextInt(16);
            case 1 -> 8192 + random.nextInt(3) - 1;
            case 2 -> 1 + random.nextInt(1024 * 1024);
            default -> 1 + random.nextInt(64 * 1024);
        };
    }

    private static void pause(Random random, int maxMillis) throws InterruptedException {
        TimeUnit.MICROSECONDS.sleep(random.nextInt(maxMillis * 1000 + 1));
    }
}
