package dev.spool.ingest.integrity;

import java.net.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

/**
 * How one stress upload ended.
 *
 * @param status the final answer's status
 * @param body its JSON body (empty for tus answers)
 * @param headers its headers
 * @param cuts attempts or requests the client broke off on the way
 * @param cutAt where the final attempt was broken off when it was, else -1: such an attempt must never be accepted
 */
record StressOutcome(int status, JsonNode body, HttpHeaders headers, int cuts, long cutAt) {

    String header(String name) {
        return headers.firstValue(name).orElse(null);
    }
}
