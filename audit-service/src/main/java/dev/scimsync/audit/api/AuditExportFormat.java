package dev.scimsync.audit.api;

import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.CsvCell;
import java.util.Optional;

/**
 * The audit export's formats: one line per record (without its newline: the stream writer ends each item with
 * one), CSV with a header line first. Values from IdPs and users are CSV cells ({@link CsvCell}); ids, times,
 * kinds and hashes are ours and never need quoting.
 */
enum AuditExportFormat {

    /** One JSON object per line, the record as the records endpoint answers it. */
    NDJSON("application/x-ndjson") {
        @Override
        Optional<String> header() {
            return Optional.empty();
        }

        @Override
        String line(AuditRecordsResource.RecordView record) {
            return ContractJson.mapper().valueToTree(record).toString();
        }
    },

    /** The columns an auditor filters by; the payload and previous hash stay in NDJSON. */
    CSV("text/csv") {
        @Override
        Optional<String> header() {
            return Optional.of("id,recordedAt,connectionId,seq,kind,action,outcome,organization,user,tokenId,"
                    + "requestId,clientAddress,userAgent,hash");
        }

        @Override
        String line(AuditRecordsResource.RecordView v) {
            return String.join(",", v.id(), v.recordedAt().toString(), CsvCell.of(v.connectionId()),
                    Long.toString(v.seq()), v.kind(), CsvCell.of(v.action()), CsvCell.of(v.outcome()),
                    CsvCell.of(v.organization()), CsvCell.of(v.user()), CsvCell.of(v.tokenId()),
                    CsvCell.of(v.requestId()), CsvCell.of(v.clientAddress()), CsvCell.of(v.userAgent()), v.hash());
        }
    };

    private final String contentType;

    AuditExportFormat(String contentType) {
        this.contentType = contentType;
    }

    /** {@code csv} in any case is CSV; anything else is NDJSON, the default. */
    static AuditExportFormat named(String name) {
        return name.equalsIgnoreCase("csv") ? CSV : NDJSON;
    }

    String contentType() {
        return contentType;
    }

    /** The line before the records, if the format has one. */
    abstract Optional<String> header();

    abstract String line(AuditRecordsResource.RecordView record);
}
