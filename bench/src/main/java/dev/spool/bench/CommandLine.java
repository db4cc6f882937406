package dev.spool.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** A bench's command line: options that each take one value, as {@code --name value}. */
final class CommandLine {

    private CommandLine() {
    }

    /** The options in the order given; a repeated option keeps its last value. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }
}
