/**
 * What the console's pages show, as the console reads it from the admin API: one record per thing a page lists or
 * describes, with only the fields the page shows (the admin API's answers carry more, which are ignored). The
 * services that answer declare their own types; the gateway does not depend on them, so these are the console's
 * reading of the same JSON. {@link dev.scimsync.gateway.console.ConsoleViews} decodes answers into them.
 */
package dev.scimsync.gateway.console.view;
