package dev.scimsync.gateway.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.gateway.scim.schema.ResourceType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table: a key of a body (with its value) -> what is listed as unknown ('-' for nothing). */
class UnknownAttributesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // Known: core, common, read-only and write-only attributes, sub-attributes, extensions, any letter case.
            "{\"userName\":\"a\",\"id\":\"x\",\"meta\":{},\"schemas\":[\"urn:acme:User\"],\"externalId\":\"e\"} | -",
            "{\"USERNAME\":\"a\",\"password\":\"p\",\"groups\":[{\"value\":\"g\"}],\"active\":true}             | -",
            "{\"name\":{\"givenName\":\"A\"},\"name.familyName\":\"B\",\"emails\":[{\"value\":\"a\",\"primary\":true}]} | -",
            "{\"" + ENTERPRISE + "\":{\"department\":\"d\",\"manager\":{\"value\":\"m\"}}}                       | -",
            "{\"" + ENTERPRISE + ":department\":\"d\",\"urn:ietf:params:scim:schemas:core:2.0:User:title\":\"t\"} | -",
            "{\"urn:ietf:params:scim:schemas:extension:docker:2.0:User\":{\"dockerRole\":\"owner\"}}             | -",
            // Unknown attributes, named as sent.
            "{\"nickname2\":\"n\",\"userName\":\"a\"}                               | attribute nickname2",
            "{\"name.middle\":\"m\",\"name\":{\"givenName\":\"A\",\"initials\":\"I\"}} | attribute name.middle, attribute name.initials",
            "{\"emails\":[{\"value\":\"a\",\"label\":\"l\"},{\"value\":\"b\",\"label\":\"k\"}]} | attribute emails.label",
            "{\"" + ENTERPRISE + "\":{\"badge\":\"b\",\"manager\":{\"value\":\"m\",\"email\":\"e\"}}} | attribute " + ENTERPRISE + ":badge, attribute " + ENTERPRISE + ":manager.email",
            "{\"" + ENTERPRISE + ":badge\":\"b\"}                                   | attribute " + ENTERPRISE + ":badge",
            "{\"urn:ietf:params:scim:schemas:core:2.0:User:shoeSize\":\"b\"}        | attribute urn:ietf:params:scim:schemas:core:2.0:User:shoeSize",
            // Extensions this server does not have: the key, whether it holds an object or is one qualified attribute.
            "{\"urn:acme:scim:schemas:1.0:User\":{\"costCenter\":\"c\"}}           | extension urn:acme:scim:schemas:1.0:User",
            "{\"urn:acme:scim:schemas:1.0:User:costCenter\":\"c\"}                 | extension urn:acme:scim:schemas:1.0:User:costCenter",
    })
    void userBodies(String body, String expected) throws Exception {
        assertEquals(expected, listed(UnknownAttributes.in(ResourceType.USER, JSON.readTree(body))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\",\"http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group\"],\"displayName\":\"g\",\"members\":[{\"value\":\"u\",\"display\":\"d\",\"$ref\":null}]} | -",
            "{\"urn:ietf:params:scim:schemas:core:2.0:Group:displayName\":\"g\",\"externalId\":\"e\"} | -",
            "{\"displayName\":\"g\",\"owner\":\"o\",\"members\":[{\"value\":\"u\",\"role\":\"admin\"}]} | attribute owner, attribute members.role",
            "{\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":{\"department\":\"d\"}} | extension urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    })
    void groupBodies(String body, String expected) throws Exception {
        assertEquals(expected, listed(UnknownAttributes.in(ResourceType.GROUP, JSON.readTree(body))));
    }

    private static String listed(List<UnknownAttributes.Found> found) {
        return found.isEmpty() ? "-" : String.join(", ", found.stream().map(f -> f.kind() + " " + f.name()).toList());
    }
}
