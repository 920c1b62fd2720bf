package io.swarmcast.log.redis;

/**
 * The shared log's two keys and its notice channel. The prefix in braces is a Redis Cluster hash tag, so both keys
 * land on one slot and the append script may touch both.
 *
 * @param meta     a hash: {@code epoch} (the log's lifetime) and {@code seq} (the newest seq handed out)
 * @param stream   the events, one entry per seq, the seq being the entry id ({@code <seq>-0})
 * @param appended the pub/sub channel the append script publishes {@code <epoch>:<newest seq>} to after each batch,
 *                 for observers outside Swarmcast (the instances read the stream itself)
 */
record RedisLogKeys(String meta, String stream, String appended) {

    static RedisLogKeys of(String prefix) {
        String tag = "{" + prefix + "}";
        return new RedisLogKeys(tag + ":meta", tag + ":stream", tag + ":appended");
    }

    /** The stream entry id of a seq. */
    static String id(long seq) {
        return seq + "-0";
    }

    /** The seq of a stream entry id written by the append script. */
    static long seq(String id) {
        int dash = id.indexOf('-');
        return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
    }
}
