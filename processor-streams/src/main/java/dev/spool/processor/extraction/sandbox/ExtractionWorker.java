package dev.spool.processor.extraction.sandbox;

import dev.spool.processor.extraction.ExtractionLimits;
import dev.spool.processor.extraction.ExtractionRefusedException;
import dev.spool.processor.extraction.ExtractionSummary;
import dev.spool.processor.extraction.FailureClassifier;
import dev.spool.processor.extraction.TikaTextExtractor;
import dev.spool.schemas.event.ErrorCode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The extraction worker: a process of its own, with a capped heap, that parses one document at a time for its
 * parent ({@link ForkedTextExtractor}). A document that exhausts the heap ends this process, not the processor.
 *
 * <p>Arguments: max characters, max pages, max expanded bytes, max compression ratio. Requests come on standard
 * input and replies go to standard output, one JSON line each ({@link WorkerProtocol}); logs go to standard error.
 */
public final class ExtractionWorker {

    private ExtractionWorker() {
    }

    /** Serves requests until standard input ends. */
    @SuppressWarnings("checkstyle:regexp")
    public static void main(String[] args) throws Exception {
        // Replies own standard output: anything that logs (Tika, PDFBox, POI) is sent to standard error instead.
        PrintStream replies = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        ExtractionLimits limits = new ExtractionLimits(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                Long.parseLong(args[2]), Integer.parseInt(args[3]), Duration.ZERO, "0");
        TikaTextExtractor extractor = new TikaTextExtractor(limits);
        extractor.warmUp();
        replies.println(WorkerProtocol.JSON.writeValueAsString(WorkerProtocol.Reply.started()));
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = requests.readLine(); line != null; line = requests.readLine()) {
            WorkerProtocol.Request request = WorkerProtocol.JSON.readValue(line, WorkerProtocol.Request.class);
            replies.println(WorkerProtocol.JSON.writeValueAsString(extract(extractor, request, replies)));
        }
    }

    private static WorkerProtocol.Reply extract(TikaTextExtractor extractor, WorkerProtocol.Request request,
            PrintStream replies) {
        try {
            ExtractionSummary summary = extractor.extract(Path.of(request.document()), request.declaredType(), Path.of(request.text()),
                    type -> replies.println(WorkerProtocol.JSON.writeValueAsString(WorkerProtocol.Reply.detected(type))));
            return WorkerProtocol.Reply.done(summary);
        } catch (ExtractionRefusedException refused) {
            return failure(refused.code(), refused);
        } catch (StackOverflowError nested) {
            return failure(ErrorCode.TOO_LARGE_TO_EXTRACT, new IllegalStateException("the document nests too deeply"));
        } catch (Exception failure) {
            ErrorCode code = FailureClassifier.classify(failure).code();
            // the worker reads local files only: an I/O error here is the document's, not storage's
            return failure(code == ErrorCode.STORAGE_UNAVAILABLE ? ErrorCode.CORRUPT : code, failure);
        }
    }

    private static WorkerProtocol.Reply failure(ErrorCode code, Throwable thrown) {
        return WorkerProtocol.Reply.failed(new WorkerProtocol.Failure(code, String.valueOf(thrown.getMessage()),
                thrown.getClass().getName()));
    }
}
