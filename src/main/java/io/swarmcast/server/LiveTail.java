package io.swarmcast.server;

import io.swarmcast.event.Channel;
import io.swarmcast.log.EventLog;
import io.swarmcast.log.StoredEvent;

/**
 * What the event log's tail feeds: each event to the {@link FanOut}, and a break in the history (a shared log that
 * lost its history and began a new epoch) to every subscribed client, as a {@code history_gap} error placed in the
 * event order, right before the first event after the break. Clients stay connected and subscribed; the error tells
 * them that the seqs restart (or jump) and that a resubscribe gets them a fresh snapshot.
 */
final class LiveTail implements EventLog.TailListener {

    private final FanOut fanOut;
    private final ControlFrames frames;
    private final SessionRegistry sessions;

    LiveTail(FanOut fanOut, ControlFrames frames, SessionRegistry sessions) {
        this.fanOut = fanOut;
        this.frames = frames;
        this.sessions = sessions;
    }

    @Override
    public void appended(StoredEvent event) {
        fanOut.appended(event);
        // A shared log's tail has no publisher behind it to wake the delivery thread; cheap when it is awake.
        fanOut.wake();
    }

    @Override
    public void historyBroken(String epoch, long fromSeq) {
        fanOut.enqueueInOrder(deliveredSeq -> {
            String gap = frames.historyGap(fromSeq, epoch);
            for (ClientSession session : sessions.all()) {
                if (session.channels().stream().anyMatch(Channel::durable)) {
                    session.enqueue(Outbound.reply(gap));
                }
            }
        });
        fanOut.wake();
    }
}
