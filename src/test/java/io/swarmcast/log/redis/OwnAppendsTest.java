package io.swarmcast.log.redis;

import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.log.StoredEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OwnAppendsTest {

    private static StoredEvent stored(long seq) {
        return new StoredEvent(seq, MessageSentEvent.builder().messageId("m" + seq).source("a").target("b")
                .timestamp(seq).build());
    }

    @Test
    void theTailTakesTheAppendedEventOnceAndOnlyInItsEpoch() {
        OwnAppends own = new OwnAppends();
        StoredEvent five = stored(5);
        StoredEvent six = stored(6);
        own.appended("e1", List.of(five, six), 4);

        assertThat(own.take("e2", 5)).as("another epoch's seq 5 is not ours").isNull();
        assertThat(own.take("e1", 6)).isSameAs(six);
        assertThat(own.take("e1", 6)).as("taken once").isNull();
        assertThat(own.take("e1", 7)).as("never appended here").isNull();
    }

    @Test
    void whatTheTailAlreadyPassedIsDroppedAtTheNextAppend() {
        OwnAppends own = new OwnAppends();
        // The tail read 1 and 2 before their append's answer came back: they were decoded, never taken.
        own.appended("e1", List.of(stored(1), stored(2)), 0);
        own.appended("e1", List.of(stored(3)), 2);

        assertThat(own.size()).isEqualTo(1);
        assertThat(own.take("e1", 3)).isNotNull();
    }

    @Test
    void nothingMoreIsHeldBeyondTheBoundWhileTheTailStands() {
        OwnAppends own = new OwnAppends();
        for (long seq = 1; seq <= OwnAppends.MAX_HELD + 10; seq++) {
            own.appended("e1", List.of(stored(seq)), 0);
        }
        assertThat(own.size()).isEqualTo(OwnAppends.MAX_HELD);
    }
}
