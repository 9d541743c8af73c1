/**
 * Phyxius analysis: what every process did, read from a JDK Flight Recorder recording (a text,
 * JSON or HTML report, one command) or kept rolling in the running JVM from a
 * {@code RecordingStream}. Needs nothing but {@code jdk.jfr}: it reads the {@code dev.phyxius.*}
 * events by name, so it runs in a jlink-ed runtime and on recordings of any application.
 *
 * <p>The SPI (the facts a recording holds, and the analysis over them) is exported only to the
 * JDK Mission Control rules, which feed it from JMC's own parser so that both give the same
 * findings.
 */
module dev.phyxius.analysis {
    requires jdk.jfr;

    exports dev.phyxius.analysis;
    exports dev.phyxius.analysis.spi to
            dev.phyxius.jmc;
}
