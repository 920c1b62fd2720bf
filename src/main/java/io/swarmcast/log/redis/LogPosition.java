package io.swarmcast.log.redis;

/** What the open script answers: the log's epoch and the newest seq handed out in it. */
record LogPosition(String epoch, long newestSeq) {

    /** Parses {@code "<seq> <epoch>"}. */
    static LogPosition parse(String answer) {
        int space = answer.indexOf(' ');
        return new LogPosition(answer.substring(space + 1), Long.parseLong(answer.substring(0, space)));
    }
}
