package dev.spool.ingest.upload;

import dev.spool.ingest.problem.SpoolProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to an upload request none of whose files was accepted: the first refusal speaks for the request, with
 * its facts; with several files, each one's fate is listed as well.
 */
final class RequestRefusal {

    private RequestRefusal() {
    }

    static SpoolProblem of(int files, List<UploadResult.Rejected> rejected) {
        UploadResult.Rejected first = rejected.get(0);
        SpoolProblem problem = new SpoolProblem(first.code(), first.detail()).withProperty("filename", first.filename());
        for (Map.Entry<String, Object> property : first.properties().entrySet()) {
            problem = problem.withProperty(property.getKey(), property.getValue());
        }
        if (files > 1) {
            List<Map<String, Object>> all = rejected.stream().map(RequestRefusal::describe).toList();
            problem = problem.withProperty("files", all);
        }
        return problem;
    }

    private static Map<String, Object> describe(UploadResult.Rejected file) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("index", file.index());
        entry.put("filename", file.filename());
        entry.put("code", file.code().code());
        entry.put("detail", file.detail());
        return entry;
    }
}
