package io.swarmcast.log.redis;

import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.log.StoredEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
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

    @Test
    void theTailWaitsForItsOwnAppendsAnswerOnly() throws Exception {
        OwnAppends own = new OwnAppends();
        own.sending(1);
        own.sending(2);

        assertThat(own.awaitSettled(3, Duration.ofSeconds(5))).as("never sent here: no wait").isTrue();
        assertThat(own.awaitSettled(1, Duration.ofMillis(20))).as("unanswered").isFalse();

        Thread answer = new Thread(() -> own.settled(1));
        answer.start();
        assertThat(own.awaitSettled(1, Duration.ofSeconds(5))).isTrue();
        answer.join();
        assertThat(own.awaitSettled(2, Duration.ofMillis(20))).as("the other one is still unanswered").isFalse();
    }
}
