package io.swarmcast.server;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The frame limit's byte count agrees with real UTF-8 encoding, for every width of character. */
class Utf8LengthTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "ping", "caf\u00e9", "\u20ac100", "\u4e2d\u6587", "emoji \ud83d\ude80!", "\ud83d\udc4d\ud83d\udc4d",
            "{\"type\":\"ping\",\"pad\":\"\u00e9\u20ac\ud83d\ude80x\"}"})
    void countsWhatUtf8Encodes(String text) {
        assertThat(Connections.utf8Length(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }
}
