package dev.spool.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * async-profiler's native agent, for the launchers a bench starts: the one bundled in the bench (the
 * {@code tools.profiler:async-profiler} artifact carries the library for each platform), or one given by path.
 */
final class AsyncProfilerAgent {

    static final String BUNDLED = "bundled";

    private AsyncProfilerAgent() {
    }

    /**
     * The agent library to load: {@code choice} itself, or, when it is {@value #BUNDLED}, the bundled library for this
     * platform copied into {@code folder}.
     */
    static Path resolve(String choice, Path folder) throws IOException {
        if (!BUNDLED.equals(choice)) {
            return Path.of(choice).toAbsolutePath();
        }
        String platform = platform();
        try (InputStream library = AsyncProfilerAgent.class.getResourceAsStream("/" + platform + "/libasyncProfiler.so")) {
            if (library == null) {
                throw new IOException("async-profiler has no agent for " + platform + "; give the path of one");
            }
            Path target = Files.createDirectories(folder).resolve("libasyncProfiler.so");
            Files.copy(library, target, StandardCopyOption.REPLACE_EXISTING);
            return target.toAbsolutePath();
        }
    }

    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (os.contains("mac")) {
            return "macos";
        }
        return "linux-" + ("aarch64".equals(arch) ? "arm64" : "x64");
    }
}
