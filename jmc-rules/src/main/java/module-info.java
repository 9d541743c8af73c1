/**
 * The findings of the Phyxius report as JDK Mission Control automated-analysis rules: slow
 * process handlers, mailbox backlog, restart storm, a carrier pinned in a handler, a handler
 * blocked on a monitor or parked, GC pauses behind slow handlers. Each rule feeds JMC's parsed
 * events to {@code dev.phyxius.analysis}, so its score and explanation are the report's.
 *
 * <p>JMC finds them through {@code ServiceLoader}: on the class path beside JMC's core libraries
 * (for example for {@code JfrHtmlRulesReport}), from this module's {@code provides}, or in the
 * JMC application from the {@code jmc-dropin} bundle.
 */
module dev.phyxius.jmc {
    requires dev.phyxius.analysis;
    requires org.openjdk.jmc.common;
    requires org.openjdk.jmc.flightrecorder;
    requires org.openjdk.jmc.flightrecorder.rules;

    exports dev.phyxius.jmc;

    provides org.openjdk.jmc.flightrecorder.rules.IRule with
            dev.phyxius.jmc.SlowHandlersRule,
            dev.phyxius.jmc.MailboxBacklogRule,
            dev.phyxius.jmc.RestartStormRule,
            dev.phyxius.jmc.PinnedInHandlerRule,
            dev.phyxius.jmc.BlockedInHandlerRule,
            dev.phyxius.jmc.GcBehindSlowHandlersRule;
}
