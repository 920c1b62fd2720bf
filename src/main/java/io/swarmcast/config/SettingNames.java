package io.swarmcast.config;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The setting names a {@code @ConfigurationProperties} record binds, read off the record itself: every
 * component in kebab case, nested records recursively. Read this way, not from a written list, so a setting
 * added to the record (or a new nested record) is known at once. A list, map or array component takes any name
 * below it ({@code swarmcast.x.origins[0]}).
 */
final class SettingNames {

    private final List<ConfigurationPropertyName> leaves = new ArrayList<>();
    private final List<ConfigurationPropertyName> open = new ArrayList<>();

    SettingNames(String prefix, Class<? extends Record> type, Collection<String> others) {
        collect(prefix, type);
        others.forEach(name -> leaves.add(ConfigurationPropertyName.of(name)));
    }

    /** Whether {@code name} is a setting, a part of one ({@code swarmcast.x.origins[0]}) or a group of them ({@code swarmcast.limits}). */
    boolean isKnown(ConfigurationPropertyName name) {
        for (ConfigurationPropertyName leaf : leaves) {
            if (leaf.equals(name) || name.isAncestorOf(leaf)) {
                return true;
            }
        }
        for (ConfigurationPropertyName container : open) {
            if (container.equals(name) || container.isAncestorOf(name) || name.isAncestorOf(container)) {
                return true;
            }
        }
        return false;
    }

    /** Every setting name, in record order. */
    List<String> all() {
        List<String> names = new ArrayList<>();
        leaves.forEach(leaf -> names.add(leaf.toString()));
        open.forEach(container -> names.add(container.toString()));
        return names;
    }

    /**
     * The known name nearest {@code name}, or null when none is near enough to be a typo of it. A name that begins with
     * the given one wins (a cut-short {@code max-frame} means {@code max-frame-size}, not the equally near
     * {@code max-swarms}), the shortest such first; otherwise the nearest by edit distance.
     */
    String nearest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : all()) {
            if (known.startsWith(name) && (best == null || !best.startsWith(name) || known.length() < best.length())) {
                best = known;
                bestDistance = 0;
            } else if (best == null || !best.startsWith(name)) {
                int distance = distance(name, known);
                if (distance < bestDistance) {
                    best = known;
                    bestDistance = distance;
                }
            }
        }
        return bestDistance <= Math.max(3, name.length() / 3) ? best : null;
    }

    private void collect(String prefix, Class<?> type) {
        for (RecordComponent component : type.getRecordComponents()) {
            String name = prefix + "." + kebab(component.getName());
            Class<?> valueType = component.getType();
            if (valueType.isRecord()) {
                collect(name, valueType);
            } else if (Map.class.isAssignableFrom(valueType) || Collection.class.isAssignableFrom(valueType)
                    || valueType.isArray()) {
                open.add(ConfigurationPropertyName.of(name));
            } else {
                leaves.add(ConfigurationPropertyName.of(name));
            }
        }
    }

    static String kebab(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
