package org.pvmakka.internal.actors;

import akka.pattern.StatusReply;
import java.util.List;
import org.pvmakka.javadsl.MsgSpawnFailed;
import org.pvmakka.javadsl.PvmCommand;

/** Answers a command that cannot be served with an error naming the cause (the owner of a spawn is told too). */
final class Refusals {
    private Refusals() {
    }

    static void refuse(PvmCommand command, String cause) {
        if (command instanceof PvmCommand.SpawnFunction c) {
            c.replyTo().tell(StatusReply.error(cause));
            c.owner().tell(new MsgSpawnFailed(cause, List.of(), 0, c.spec().correlation()));
        } else if (command instanceof PvmCommand.SendMessage c) {
            c.replyTo().tell(StatusReply.error(cause));
        } else if (command instanceof PvmCommand.SendAndConfirm c) {
            c.replyTo().tell(StatusReply.error(cause));
        } else if (command instanceof PvmCommand.MessagesHandled c) {
            if (c.replyTo() != null) {
                c.replyTo().tell(StatusReply.error(cause));
            }
        } else if (command instanceof PvmCommand.GetStatus c) {
            c.replyTo().tell(StatusReply.error(cause));
        } else if (command instanceof PvmCommand.KillTask c) {
            c.replyTo().tell(StatusReply.error(cause));
        } else if (command instanceof PvmCommand.KillAll c) {
            c.replyTo().tell(StatusReply.error(cause));
        } else if (command instanceof PvmCommand.Alive c) {
            c.replyTo().tell(StatusReply.error(cause));
        } else if (command instanceof PvmCommand.WaitForVm c) {
            c.replyTo().tell(StatusReply.error(cause));
        } else if (command instanceof PvmCommand.AddHosts c) {
            c.replyTo().tell(StatusReply.error(cause));
        } else if (command instanceof PvmCommand.DeleteHosts c) {
            c.replyTo().tell(StatusReply.error(cause));
        } else if (command instanceof PvmCommand.Halt c) {
            c.replyTo().tell(StatusReply.error(cause));
        } else if (command instanceof PvmCommand.GetCounters c) {
            c.replyTo().tell(StatusReply.error(cause));
        }
        // subscriptions have no reply: nothing will come
    }
}
