package dev.scimsync.audit.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditExportFormatTest {

    private static final AuditRecordsResource.RecordView RECORD = new AuditRecordsResource.RecordView(
            "5f0c6a52-8a47-4c1e-9a52-3d0f1f1f0001", "okta-1", 7, "outcome", "m-1", null, "user create", "applied",
            "acme", "ada@example.test", "t-1", "r-1", "203.0.113.9", "Okta SCIM, v2", Instant.parse(
                    "2026-11-30T10:15:30.123Z"), "prev", "hash-7", "k1",
            JsonNodeFactory.instance.objectNode().put("active", true));

    @Test
    void ndjsonIsTheRecordAsOneJsonObjectWithNoHeader() {
        assertEquals(Optional.empty(), AuditExportFormat.NDJSON.header());
        assertEquals("application/x-ndjson", AuditExportFormat.NDJSON.contentType());
        assertEquals("{\"id\":\"5f0c6a52-8a47-4c1e-9a52-3d0f1f1f0001\",\"connectionId\":\"okta-1\",\"seq\":7,"
                        + "\"kind\":\"outcome\",\"messageId\":\"m-1\",\"commandId\":null,\"action\":\"user create\","
                        + "\"outcome\":\"applied\",\"organization\":\"acme\",\"user\":\"ada@example.test\","
                        + "\"tokenId\":\"t-1\",\"requestId\":\"r-1\",\"clientAddress\":\"203.0.113.9\","
                        + "\"userAgent\":\"Okta SCIM, v2\",\"recordedAt\":\"2026-11-30T10:15:30.123Z\","
                        + "\"previousHash\":\"prev\",\"hash\":\"hash-7\",\"keyId\":\"k1\",\"payload\":{\"active\":true}}",
                AuditExportFormat.NDJSON.line(RECORD));
    }

    @Test
    void csvHasAHeaderAndQuotesOnlyTheCellsThatNeedIt() {
        assertEquals(Optional.of("id,recordedAt,connectionId,seq,kind,action,outcome,organization,user,tokenId,"
                + "requestId,clientAddress,userAgent,hash"), AuditExportFormat.CSV.header());
        assertEquals("text/csv", AuditExportFormat.CSV.contentType());
        assertEquals("5f0c6a52-8a47-4c1e-9a52-3d0f1f1f0001,2026-11-30T10:15:30.123Z,okta-1,7,outcome,user create,"
                + "applied,acme,ada@example.test,t-1,r-1,203.0.113.9,\"Okta SCIM, v2\",hash-7",
                AuditExportFormat.CSV.line(RECORD));
    }

    @Test
    void csvLeavesMissingValuesEmptyAndNeutralisesFormulas() {
        AuditRecordsResource.RecordView sparse = new AuditRecordsResource.RecordView("id-1", "c", 1, "event", null,
                null, null, null, null, "=HYPERLINK(\"x\")", null, null, null, null,
                Instant.parse("2026-01-02T03:04:05Z"), null, "h", null, null);
        assertEquals("id-1,2026-01-02T03:04:05Z,c,1,event,,,,\"'=HYPERLINK(\"\"x\"\")\",,,,,h",
                AuditExportFormat.CSV.line(sparse));
    }

    @Test
    void csvIsChosenInAnyCaseAndAnythingElseIsNdjson() {
        assertEquals(AuditExportFormat.CSV, AuditExportFormat.named("CSV"));
        assertEquals(AuditExportFormat.CSV, AuditExportFormat.named("csv"));
        assertEquals(AuditExportFormat.NDJSON, AuditExportFormat.named("ndjson"));
        assertEquals(AuditExportFormat.NDJSON, AuditExportFormat.named("xml"));
    }
}
