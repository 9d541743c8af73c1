package dev.phyxius.examples.spring;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

/**
 * Every {@code EventSink} bean receives the root supervisor's events (its children's too): this
 * one logs all but the routine {@code MessageHandled}, so a crash, the restart and the shutdown
 * show in the application's log.
 */
@Component
class ProcessEventLog implements EventSink {

    private static final Log log = LogFactory.getLog(ProcessEventLog.class);

    @Override
    public void emit(Event event) {
        if (!(event instanceof ProcessEvent.MessageHandled)) {
            log.info(event);
        }
    }
}
