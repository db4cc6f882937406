package dev.spool.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@link PipelineThroughputBench}; the defaults run every stage in about a quarter of an hour
 * on two cores at the processor's baseline speed.
 *
 * @param warmUp jobs or uploads each stage but the reference runs first, unmeasured, so that the measured run finds
 *     the launcher's code compiled: a fresh JVM spends a fifth of its CPU in the JIT compiler for the first minute
 * @param stages the stages to run, in this order: {@code reference}, {@code ingest}, {@code processor},
 *     {@code projection}, {@code e2e}, {@code head-of-line} (all but the last by default)
 * @param referenceRecords work records through the reference loop
 * @param jobs jobs preloaded for the processor alone
 * @param projectionEvents events preloaded for the projection alone ({@value ProjectionEvents#PER_JOB} per job)
 * @param paceSeconds length of each paced run at half of saturation
 * @param ingestRate uploads offered per second to ingest alone; above its saturation, or the figure is the offer
 * @param ingestSeconds how long they are offered
 * @param e2eRate uploads offered per second to find the end-to-end saturation; above it, or the figure is the offer
 * @param e2eSeconds how long they are offered
 * @param users distinct users the uploads come from
 * @param document the kind of document every upload and job carries: {@code text} (10 KB), {@code pdf} (the same text
 *     on three pages) or {@code docx}
 * @param holJobs small jobs the head-of-line stage sends, once on an idle processor and once behind the slow job
 * @param holRate small jobs per second it sends them at
 * @param slowPages pages of the PDF catalogue that is the head-of-line stage's slow job
 * @param launcherJar the launcher to start for each stage
 * @param out where the JSON result goes
 * @param recordings a folder to keep each stage's recordings in, or {@code null}
 * @param launcherOptions JVM options added to every stage's launcher, such as a setting to try
 *     ({@code -Dspool.ingest.publish.transactions=1})
 * @param asyncProfiler {@code bundled} or the path of async-profiler's {@code libasyncProfiler.so}, to profile each
 *     stage's launcher on CPU; {@code null} for none
 * @param processors processor instances in the processor stage: the launcher's own and {@code processors - 1} more,
 *     each a JVM of its own from {@code processorJar}
 * @param processorJar processor-streams' runnable jar, for the instances beyond the launcher's
 */
record PipelineOptions(int warmUp, List<String> stages, int referenceRecords, int jobs, int projectionEvents, int paceSeconds,
        int ingestRate, int ingestSeconds, int e2eRate, int e2eSeconds, int users, LoadDocument document, int holJobs,
        int holRate, int slowPages, Path launcherJar, Path out, Path recordings, List<String> launcherOptions,
        String asyncProfiler, int processors, Path processorJar) {

    static final List<String> DEFAULT_STAGES = List.of("reference", "ingest", "processor", "projection", "e2e");
    static final List<String> ALL_STAGES = List.of("reference", "ingest", "processor", "projection", "e2e",
            "head-of-line");

    PipelineOptions {
        stages = List.copyOf(stages);
        launcherOptions = List.copyOf(launcherOptions);
    }

    static PipelineOptions parse(String[] args) {
        List<String> stages = DEFAULT_STAGES;
        int warmUp = 600;
        int referenceRecords = 50_000;
        int jobs = 1_500;
        int projectionEvents = 5_000;
        int paceSeconds = 20;
        int ingestRate = 400;
        int ingestSeconds = 15;
        int e2eRate = 40;
        int e2eSeconds = 15;
        int users = 50;
        LoadDocument document = LoadDocument.TEXT;
        int holJobs = 1_000;
        int holRate = 25;
        int slowPages = 20_000;
        Path launcher = Path.of("launcher/target/spool.jar");
        Path out = Path.of("bench/results/pipeline-throughput.json");
        Path recordings = null;
        String asyncProfiler = null;
        List<String> launcherOptions = List.of();
        int processors = 1;
        Path processorJar = Path.of("processor-streams/target/processor-streams-0.1.0-SNAPSHOT-exec.jar");
        for (Map.Entry<String, String> option : CommandLine.options(args).entrySet()) {
            String name = option.getKey();
            String value = option.getValue();
            switch (name) {
                case "--stages" -> stages = stages(value);
                case "--warm-up" -> warmUp = positive(name, value);
                case "--reference-records" -> referenceRecords = positive(name, value);
                case "--jobs" -> jobs = positive(name, value);
                case "--projection-events" -> projectionEvents = positive(name, value);
                case "--pace-seconds" -> paceSeconds = positive(name, value);
                case "--ingest-rate" -> ingestRate = positive(name, value);
                case "--ingest-seconds" -> ingestSeconds = positive(name, value);
                case "--e2e-rate" -> e2eRate = positive(name, value);
                case "--e2e-seconds" -> e2eSeconds = positive(name, value);
                case "--users" -> users = positive(name, value);
                case "--document" -> document = LoadDocument.named(value);
                case "--hol-jobs" -> holJobs = positive(name, value);
                case "--hol-rate" -> holRate = positive(name, value);
                case "--slow-pages" -> slowPages = positive(name, value);
                case "--launcher" -> launcher = Path.of(value);
                case "--out" -> out = Path.of(value);
                case "--recordings" -> recordings = Path.of(value);
                case "--async-profiler" -> asyncProfiler = value;
                case "--launcher-options" -> launcherOptions = List.of(value.trim().split("\\s+"));
                case "--processors" -> processors = positive(name, value);
                case "--processor-jar" -> processorJar = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name
                        + "; options: --stages reference,ingest,processor,projection,e2e[,head-of-line] --warm-up 600"
                        + " --reference-records 50000"
                        + " --jobs 1500 --projection-events 5000 --pace-seconds 20 --ingest-rate 400 --ingest-seconds 15"
                        + " --e2e-rate 40 --e2e-seconds 15 --users 50 --document text|pdf|docx"
                        + " --hol-jobs 1000 --hol-rate 25 --slow-pages 20000"
                        + " --launcher launcher/target/spool.jar --out bench/results/pipeline-throughput.json"
                        + " --recordings <folder to keep the stages' .jfr files in>"
                        + " --launcher-options '<JVM options for every stage's launcher>'"
                        + " --async-profiler bundled|<path of libasyncProfiler.so>"
                        + " --processors 1 --processor-jar processor-streams/target/processor-streams-<version>-exec.jar");
            }
        }
        return new PipelineOptions(warmUp, stages, referenceRecords, jobs, projectionEvents, paceSeconds, ingestRate,
                ingestSeconds, e2eRate, e2eSeconds, users, document, holJobs, holRate, slowPages, launcher, out,
                recordings, launcherOptions, asyncProfiler, processors, processorJar);
    }

    private static List<String> stages(String list) {
        Set<String> asked = Set.of(list.replace(" ", "").split(","));
        for (String stage : asked) {
            if (!ALL_STAGES.contains(stage)) {
                throw new IllegalArgumentException("--stages: unknown stage '" + stage + "'; choose from " + ALL_STAGES);
            }
        }
        return ALL_STAGES.stream().filter(asked::contains).toList();
    }

    private static int positive(String name, String value) {
        int number = Integer.parseInt(value.trim());
        if (number < 1) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
        return number;
    }
}
