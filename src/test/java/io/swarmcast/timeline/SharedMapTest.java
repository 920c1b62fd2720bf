package io.swarmcast.timeline;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A {@link SharedMap} behaves as a map, and what it froze never changes, whatever is written after. */
class SharedMapTest {

    @Test
    void frozenCopiesKeepTheirContentWhileTheMapAndItsThawedCopiesGoOn() {
        Random random = new Random(7);
        SharedMap<Integer> map = new SharedMap<>();
        Map<String, Integer> model = new HashMap<>();
        List<SharedMap.Frozen<Integer>> frozen = new ArrayList<>();
        List<Map<String, Integer>> frozenModels = new ArrayList<>();
        for (int step = 0; step < 50_000; step++) {
            String key = "k" + random.nextInt(3_000);
            if (random.nextInt(4) == 0) {
                assertThat(map.remove(key)).isEqualTo(model.remove(key));
            } else {
                int value = random.nextInt();
                assertThat(map.put(key, value)).isEqualTo(model.put(key, value));
            }
            assertThat(map.size()).isEqualTo(model.size());
            if (step % 1_000 == 0) {
                frozen.add(map.freeze());
                frozenModels.add(new HashMap<>(model));
            }
        }
        for (int i = 0; i < frozen.size(); i++) {
            assertThat(contents(frozen.get(i))).as("checkpoint %s", i).isEqualTo(frozenModels.get(i));
            assertThat(frozen.get(i).size()).isEqualTo(frozenModels.get(i).size());
        }
        // A thawed copy writes without touching what it came from.
        SharedMap.Frozen<Integer> base = frozen.get(10);
        SharedMap<Integer> thawed = base.thaw();
        for (int i = 0; i < 1_000; i++) {
            thawed.put("k" + i, -i);
            thawed.remove("k" + (i + 1_500));
        }
        assertThat(contents(base)).isEqualTo(frozenModels.get(10));
        assertThat(thawed.get("k5")).isEqualTo(-5);
        assertThat(base.get("k5")).isEqualTo(frozenModels.get(10).get("k5"));
    }

    private static Map<String, Integer> contents(SharedMap.Frozen<Integer> frozen) {
        Map<String, Integer> contents = new HashMap<>();
        frozen.forEach(contents::put);
        return contents;
    }
}
