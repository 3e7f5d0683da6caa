package dev.scimsync.gateway.console;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** What the console's templates call on values: URL path segments and readable times. */
@TemplateExtension
public final class ConsoleExtensions {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** {@code {member.email.segment}}: the value encoded as one URL path segment. */
    static String segment(String value) {
        return AdminApi.encode(value);
    }

    /** {@code {record.recordedAt.when}}: an instant as a UTC time to the second. */
    static String when(Instant instant) {
        return WHEN.format(instant);
    }

    private ConsoleExtensions() {
    }
}
