package io.swarmcast.bench;

import java.nio.charset.StandardCharsets;

/**
 * A received text frame, read without parsing the JSON: the load generator looks only for a few fields by
 * string search, so that it costs far less per frame than the server does and is not what saturates.
 */
abstract class Frame {

    static final long MISSING = Long.MIN_VALUE;

    /** The number after the first occurrence of {@code pattern} (e.g. {@code "t":}), or {@link #MISSING}. */
    abstract long longAfter(Pattern pattern);

    /** The string value after the first occurrence of {@code pattern} (e.g. {@code "epoch":"}), up to the next quote. */
    abstract String stringAfter(Pattern pattern);

    abstract boolean startsWith(Pattern prefix);

    abstract boolean contains(Pattern pattern);

    abstract int length();

    @Override
    public abstract String toString();

    /** A search string, kept both as bytes and chars so both clients can use it. */
    static final class Pattern {
        final String text;
        final byte[] bytes;

        Pattern(String text) {
            this.text = text;
            this.bytes = text.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A frame as bytes in a buffer (the NIO client): reused, valid only during the callback. */
    static final class Bytes extends Frame {
        private byte[] a;
        private int off;
        private int len;

        Bytes set(byte[] array, int offset, int length) {
            this.a = array;
            this.off = offset;
            this.len = length;
            return this;
        }

        private int indexOf(byte[] p) {
            int end = off + len - p.length;
            byte first = p[0];
            outer:
            for (int i = off; i <= end; i++) {
                if (a[i] != first) {
                    continue;
                }
                for (int j = 1; j < p.length; j++) {
                    if (a[i + j] != p[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        @Override
        long longAfter(Pattern pattern) {
            int i = indexOf(pattern.bytes);
            if (i < 0) {
                return MISSING;
            }
            int p = i + pattern.bytes.length;
            int end = off + len;
            while (p < end && a[p] == ' ') {
                p++;
            }
            boolean negative = p < end && a[p] == '-';
            if (negative) {
                p++;
            }
            long value = 0;
            int digits = 0;
            while (p < end && a[p] >= '0' && a[p] <= '9') {
                value = value * 10 + (a[p++] - '0');
                digits++;
            }
            return digits == 0 ? MISSING : negative ? -value : value;
        }

        @Override
        String stringAfter(Pattern pattern) {
            int i = indexOf(pattern.bytes);
            if (i < 0) {
                return null;
            }
            int start = i + pattern.bytes.length;
            int p = start;
            while (p < off + len && a[p] != '"') {
                p++;
            }
            return new String(a, start, p - start, StandardCharsets.UTF_8);
        }

        @Override
        boolean startsWith(Pattern prefix) {
            byte[] p = prefix.bytes;
            if (len < p.length) {
                return false;
            }
            for (int j = 0; j < p.length; j++) {
                if (a[off + j] != p[j]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        boolean contains(Pattern pattern) {
            return indexOf(pattern.bytes) >= 0;
        }

        @Override
        int length() {
            return len;
        }

        @Override
        public String toString() {
            return new String(a, off, len, StandardCharsets.UTF_8);
        }
    }

    /** A frame as characters (the JDK client). */
    static final class Chars extends Frame {
        private final CharSequence s;

        Chars(CharSequence s) {
            this.s = s;
        }

        private int indexOf(String p) {
            if (s instanceof String string) {
                return string.indexOf(p);
            }
            int end = s.length() - p.length();
            char first = p.charAt(0);
            outer:
            for (int i = 0; i <= end; i++) {
                if (s.charAt(i) != first) {
                    continue;
                }
                for (int j = 1; j < p.length(); j++) {
                    if (s.charAt(i + j) != p.charAt(j)) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        @Override
        long longAfter(Pattern pattern) {
            int i = indexOf(pattern.text);
            if (i < 0) {
                return MISSING;
            }
            int p = i + pattern.text.length();
            int end = s.length();
            while (p < end && s.charAt(p) == ' ') {
                p++;
            }
            boolean negative = p < end && s.charAt(p) == '-';
            if (negative) {
                p++;
            }
            long value = 0;
            int digits = 0;
            while (p < end && Character.isDigit(s.charAt(p))) {
                value = value * 10 + (s.charAt(p++) - '0');
                digits++;
            }
            return digits == 0 ? MISSING : negative ? -value : value;
        }

        @Override
        String stringAfter(Pattern pattern) {
            int i = indexOf(pattern.text);
            if (i < 0) {
                return null;
            }
            int start = i + pattern.text.length();
            int p = start;
            while (p < s.length() && s.charAt(p) != '"') {
                p++;
            }
            return s.subSequence(start, p).toString();
        }

        @Override
        boolean startsWith(Pattern prefix) {
            if (s.length() < prefix.text.length()) {
                return false;
            }
            for (int j = 0; j < prefix.text.length(); j++) {
                if (s.charAt(j) != prefix.text.charAt(j)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        boolean contains(Pattern pattern) {
            return indexOf(pattern.text) >= 0;
        }

        @Override
        int length() {
            return s.length();
        }

        @Override
        public String toString() {
            return s.toString();
        }
    }
}
