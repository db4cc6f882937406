package dev.spool.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command line of {@link IngestThroughputBench}.
 *
 * @param sizes file sizes in bytes, in the order they run
 * @param launcherJar the Spool launcher jar to start as a child process
 * @param out where the JSON result goes
 * @param heap the launcher's {@code -Xmx} value, or {@code null} for the JVM's default heap
 * @param rounds how many times each size is uploaded, once directly and once through Spool per round
 */
record BenchOptions(List<Long> sizes, Path launcherJar, Path out, String heap, String protocol, int rounds) {

    private static final long KIB = 1024;

    BenchOptions {
        sizes = List.copyOf(sizes);
    }

    static BenchOptions parse(String[] args) {
        List<Long> sizes = List.of(size("1GiB"), size("5GiB"));
        Path launcher = Path.of("launcher/target/spool.jar");
        Path out = null;
        String heap = null;
        String protocol = "multipart";
        int rounds = 2;
        for (Map.Entry<String, String> option : CommandLine.options(args).entrySet()) {
            String name = option.getKey();
            String value = option.getValue();
            switch (name) {
                case "--sizes" -> sizes = sizes(value);
                case "--launcher" -> launcher = Path.of(value);
                case "--out" -> out = Path.of(value);
                case "--heap" -> heap = value;
                case "--protocol" -> protocol = protocol(value);
                case "--rounds" -> rounds = rounds(value);
                default -> throw new IllegalArgumentException("unknown option " + name
                        + "; options: --sizes 1GiB,5GiB --launcher launcher/target/spool.jar"
                        + " --out bench/results/ingest-throughput.json --heap 512m --protocol multipart|tus --rounds 2");
            }
        }
        if (out == null) {
            out = Path.of("tus".equals(protocol) ? "bench/results/tus-throughput.json"
                    : "bench/results/ingest-throughput.json");
        }
        return new BenchOptions(sizes, launcher, out, heap, protocol, rounds);
    }

    private static int rounds(String value) {
        int rounds = Integer.parseInt(value);
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds is at least 1, not " + value);
        }
        return rounds;
    }

    private static String protocol(String value) {
        if (!"multipart".equals(value) && !"tus".equals(value)) {
            throw new IllegalArgumentException("--protocol is multipart or tus, not " + value);
        }
        return value;
    }

    private static List<Long> sizes(String list) {
        List<Long> sizes = new ArrayList<>();
        for (String item : list.split(",")) {
            if (!item.isBlank()) {
                sizes.add(size(item.trim()));
            }
        }
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("--sizes names no size");
        }
        return sizes;
    }

    /** Binary units only ({@code KiB}, {@code MiB}, {@code GiB}), so that a size means one thing. */
    static long size(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        long unit = 1;
        String number = upper;
        if (upper.endsWith("GIB")) {
            unit = KIB * KIB * KIB;
        } else if (upper.endsWith("MIB")) {
            unit = KIB * KIB;
        } else if (upper.endsWith("KIB")) {
            unit = KIB;
        }
        if (unit > 1) {
            number = upper.substring(0, upper.length() - 3);
        }
        try {
            return Long.parseLong(number.trim()) * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + text + "'; write e.g. 64MiB or 5GiB", e);
        }
    }

    /** The size as it was most likely written, e.g. {@code 5GiB}. */
    static String label(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        long[] factors = {KIB * KIB * KIB, KIB * KIB, KIB};
        for (int i = 0; i < units.length; i++) {
            if (bytes % factors[i] == 0) {
                return bytes / factors[i] + units[i];
            }
        }
        return bytes + "B";
    }
}
