package io.swarmcast.timeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A map from strings that can be frozen in O(1) and then shares everything unchanged with its frozen copies: the
 * structure behind the timeline's checkpoints, so that a checkpoint costs about what changed since the one before,
 * not a copy of the whole state.
 *
 * <p>A fixed two-level trie: 64 branches of 64 leaves, each leaf a small {@link HashMap} of the keys that hash to it.
 * Every node carries the edit token of the map that made it; a map writes in place only into nodes of its own token
 * and copies any other node first (copy-on-write, as Clojure's transients do). {@link #freeze()} gives the map a new
 * token, so the nodes it had become shared by the frozen copy and the map alike and are never written again. A write
 * after a freeze copies one branch (64 references) and one leaf (about size / 4096 entries). Not thread-safe while
 * written; a frozen copy is immutable and may be read by any thread.
 */
final class SharedMap<V> {

    private static final int BITS = 6;
    private static final int WIDTH = 1 << BITS;
    private static final int MASK = WIDTH - 1;

    private static final class Node {
        final Object edit;
        final Object[] slots;

        Node(Object edit, Object[] slots) {
            this.edit = edit;
            this.slots = slots;
        }
    }

    private static final class Leaf<V> {
        final Object edit;
        final HashMap<String, V> entries;

        Leaf(Object edit, HashMap<String, V> entries) {
            this.edit = edit;
            this.entries = entries;
        }
    }

    /** An immutable view: what {@link #freeze()} returns, and what {@link #thaw()} starts a new map from. */
    static final class Frozen<V> {
        private final Node root;
        private final int size;

        private Frozen(Node root, int size) {
            this.root = root;
            this.size = size;
        }

        int size() {
            return size;
        }

        V get(String key) {
            return SharedMap.get(root, key);
        }

        void forEach(BiConsumer<String, V> action) {
            SharedMap.forEach(root, action);
        }

        List<V> values() {
            List<V> values = new ArrayList<>(size);
            forEach((key, value) -> values.add(value));
            return values;
        }

        /** A writable map that starts as this one and shares its nodes until it writes them. */
        SharedMap<V> thaw() {
            return new SharedMap<>(root, size);
        }
    }

    private Object edit = new Object();
    private Node root;
    private int size;

    SharedMap() {
        this.root = new Node(edit, new Object[WIDTH]);
    }

    private SharedMap(Node root, int size) {
        this.root = root;
        this.size = size;
    }

    static <V> Frozen<V> empty() {
        return new SharedMap<V>().freeze();
    }

    int size() {
        return size;
    }

    V get(String key) {
        return get(root, key);
    }

    V put(String key, V value) {
        HashMap<String, V> leaf = writableLeaf(key);
        V old = leaf.put(key, value);
        if (old == null) {
            size++;
        }
        return old;
    }

    V remove(String key) {
        if (get(key) == null) {
            return null;
        }
        V old = writableLeaf(key).remove(key);
        size--;
        return old;
    }

    void forEach(BiConsumer<String, V> action) {
        forEach(root, action);
    }

    /** O(1): from here on every node this map holds is shared, and the next write to it copies it first. */
    Frozen<V> freeze() {
        edit = new Object();
        return new Frozen<>(root, size);
    }

    private HashMap<String, V> writableLeaf(String key) {
        int hash = spread(key);
        if (root.edit != edit) {
            root = new Node(edit, root.slots.clone());
        }
        int branchIndex = (hash >>> BITS) & MASK;
        Node branch = (Node) root.slots[branchIndex];
        if (branch == null) {
            branch = new Node(edit, new Object[WIDTH]);
            root.slots[branchIndex] = branch;
        } else if (branch.edit != edit) {
            branch = new Node(edit, branch.slots.clone());
            root.slots[branchIndex] = branch;
        }
        int leafIndex = hash & MASK;
        @SuppressWarnings("unchecked")
        Leaf<V> leaf = (Leaf<V>) branch.slots[leafIndex];
        if (leaf == null) {
            leaf = new Leaf<>(edit, new HashMap<>(4));
            branch.slots[leafIndex] = leaf;
        } else if (leaf.edit != edit) {
            leaf = new Leaf<>(edit, new HashMap<>(leaf.entries));
            branch.slots[leafIndex] = leaf;
        }
        return leaf.entries;
    }

    @SuppressWarnings("unchecked")
    private static <V> V get(Node root, String key) {
        int hash = spread(key);
        Node branch = (Node) root.slots[(hash >>> BITS) & MASK];
        if (branch == null) {
            return null;
        }
        Leaf<V> leaf = (Leaf<V>) branch.slots[hash & MASK];
        return leaf == null ? null : leaf.entries.get(key);
    }

    @SuppressWarnings("unchecked")
    private static <V> void forEach(Node root, BiConsumer<String, V> action) {
        for (Object branch : root.slots) {
            if (branch != null) {
                for (Object leaf : ((Node) branch).slots) {
                    if (leaf != null) {
                        ((Leaf<V>) leaf).entries.forEach(action);
                    }
                }
            }
        }
    }

    private static int spread(String key) {
        int h = key.hashCode();
        return h ^ (h >>> 16) ^ (h >>> 24);
    }
}
