package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;

/** A SCIM token just issued: the only answer that carries its secret, shown once. */
@TemplateData
public record IssuedToken(String id, String token) {
}
