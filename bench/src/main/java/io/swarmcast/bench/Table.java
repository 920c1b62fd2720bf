package io.swarmcast.bench;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table, printed as rows come so a long run shows progress. */
final class Table {

    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... columns) {
        this.columns = List.of(columns);
    }

    void printHeader() {
        System.out.println();
        System.out.println("| " + String.join(" | ", columns) + " |");
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < columns.size(); i++) {
            rule.append(" --- |");
        }
        System.out.println(rule);
        System.out.flush();
    }

    void row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(String.valueOf(cell));
        }
        rows.add(row);
        System.out.println("| " + String.join(" | ", row) + " |");
        System.out.flush();
    }

    static String ms(long micros) {
        return String.format("%.2f", micros / 1000.0);
    }

    static String num(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100) {
            return String.format("%,.0f", value);
        }
        return String.format("%.2f", value);
    }
}
