package dev.scimsync.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CsvCellTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "=HYPERLINK(\"http://evil\")|\"'=HYPERLINK(\"\"http://evil\"\")\"",
            "+1+cmd|\"'+1+cmd\"",
            "-2+3|\"'-2+3\"",
            "@SUM(A1)|\"'@SUM(A1)\""})
    void aFormulaIsOpenedAsText(String value, String cell) {
        assertEquals(cell, CsvCell.of(value));
    }

    @Test
    void aLeadingTabOrCarriageReturnIsNeutralisedToo() {
        assertEquals("\"'\t=1+1\"", CsvCell.of("\t=1+1"));
        assertEquals("\"'\r=1+1\"", CsvCell.of("\r=1+1"));
    }

    @Test
    void plainValuesStayAsTheyAreAndSeparatorsAreQuoted() {
        assertEquals("ada@example.com", CsvCell.of("ada@example.com"));
        assertEquals("Ada Lovelace", CsvCell.of("Ada Lovelace"));
        assertEquals("\"Lovelace, Ada\"", CsvCell.of("Lovelace, Ada"));
        assertEquals("\"say \"\"hi\"\"\"", CsvCell.of("say \"hi\""));
        assertEquals("\"two\nlines\"", CsvCell.of("two\nlines"));
        assertEquals("a-b=c", CsvCell.of("a-b=c"), "only a leading character starts a formula");
        assertEquals("", CsvCell.of(null));
        assertEquals("", CsvCell.of(""));
    }
}
