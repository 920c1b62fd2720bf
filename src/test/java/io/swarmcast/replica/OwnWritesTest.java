package io.swarmcast.replica;

import io.swarmcast.event.MemoryOperationType;
import io.swarmcast.log.EventLogUnavailableException;
import io.swarmcast.memory.MemoryOperation;
import io.swarmcast.memory.MemoryOperationPerformed;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fold's record of this instance's own changes when the log answers after the change was made (the Redis log's
 * appendThen): the fold runs {@code settle()} before each event, then asks {@code apply(entity, seq)}.
 */
class OwnWritesTest {

    private static final String KEY = OwnWrites.memory(null, "ns", "k");

    private final OwnWrites own = new OwnWrites();

    private MemoryOperationPerformed stored(String key) {
        MemoryOperationPerformed performed = new MemoryOperationPerformed(MemoryOperation.builder()
                .operation(MemoryOperationType.STORE).namespace("ns").key(key).success(true).timestamp(1).build(), null);
        own.memoryOperation(performed);
        return performed;
    }

    private boolean folds(String entity, long seq) {
        own.settle();
        return own.apply(entity, seq);
    }

    @Test
    void anotherInstancesEventIsSkippedWhileOurChangeIsUnanswered() {
        stored("k");
        // Not answered yet: whatever the tail hands on now has a lower seq than our change, which wins.
        assertThat(folds(KEY, 7)).isFalse();
        assertThat(own.ahead(7)).as("our change is not folded yet").isTrue();
        assertThat(folds(OwnWrites.memory(null, "ns", "other"), 8)).as("other entities are folded").isTrue();
    }

    @Test
    void onceAnsweredTheUsualRuleHolds() {
        MemoryOperationPerformed mine = stored("k");
        mine.publication().published(10);

        assertThat(folds(KEY, 9)).as("older than ours").isFalse();
        assertThat(folds(KEY, 10)).as("ours: already applied").isFalse();
        assertThat(own.ahead(10)).isFalse();
        assertThat(folds(KEY, 11)).as("newer than ours: applied, and the entity is forgotten").isTrue();
    }

    @Test
    void aFailedChangeIsForgotten() {
        MemoryOperationPerformed mine = stored("k");
        mine.publication().failed(new EventLogUnavailableException("down", null));

        assertThat(folds(KEY, 3)).as("nothing of ours is in the log").isTrue();
        assertThat(own.ahead(3)).isFalse();
    }

    @Test
    void twoChangesToOneEntityBothCount() {
        MemoryOperationPerformed first = stored("k");
        stored("k");
        first.publication().published(5);

        assertThat(folds(KEY, 6)).as("the second change is still unanswered").isFalse();
    }

    @Test
    void aNewEpochForgetsEverything() {
        stored("k");
        own.clear();
        assertThat(folds(KEY, 1)).isTrue();
        assertThat(own.ahead(0)).isFalse();
    }
}
