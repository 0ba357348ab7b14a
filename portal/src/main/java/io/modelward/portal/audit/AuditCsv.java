package io.modelward.portal.audit;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Writes audit rows as RFC 4180 CSV: a header row, CRLF line ends, and a field quoted when it holds a comma, a
 * quote, CR or LF (quotes doubled). A text field that a spreadsheet would run as a formula (it starts with =, +, -,
 * @, tab or CR) gets a leading apostrophe, as OWASP advises: the export is opened by people, and actor names, model
 * outputs and reasons come from elsewhere.
 */
final class AuditCsv {

    static final List<String> HEADER = List.of("chain_id", "seq", "at", "request_id", "actor_subject", "actor_name",
            "actor_roles", "client_id", "source_ip", "action", "model", "version", "deployment", "artifact_sha256",
            "input_sha256", "input_size", "content_type", "output_summary", "output_sha256", "http_status", "outcome",
            "latency_micros", "purpose", "detail", "prev_hash", "hash");

    private final Writer out;

    AuditCsv(Writer out) throws IOException {
        this.out = out;
        line(HEADER);
    }

    void row(AuditEntry e) throws IOException {
        List<@Nullable String> fields = new ArrayList<>(HEADER.size());
        fields.add(e.chainId());
        fields.add(Long.toString(e.seq()));
        fields.add(e.at().toString());
        fields.add(e.requestId());
        fields.add(e.actorSubject());
        fields.add(e.actorName());
        fields.add(e.actorRoles());
        fields.add(e.clientId());
        fields.add(e.sourceIp());
        fields.add(e.action());
        fields.add(e.model());
        fields.add(e.version());
        fields.add(e.deployment());
        fields.add(e.artifactSha256());
        fields.add(e.inputSha256());
        fields.add(text(e.inputSize()));
        fields.add(e.contentType());
        fields.add(e.outputSummary());
        fields.add(e.outputSha256());
        fields.add(text(e.httpStatus()));
        fields.add(e.outcome() == null ? null : e.outcome().name());
        fields.add(text(e.latencyMicros()));
        fields.add(e.purpose());
        fields.add(e.detail());
        fields.add(e.prevHash());
        fields.add(e.hash());
        line(fields);
    }

    private void line(List<? extends @Nullable String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(field(fields.get(i)));
        }
        out.write("\r\n");
    }

    static String field(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String text = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\r') >= 0
                || text.indexOf('\n') >= 0;
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    private static @Nullable String text(@Nullable Number number) {
        return number == null ? null : number.toString();
    }
}
