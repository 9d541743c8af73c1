package dev.phyxius.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaCluster.Extension.class)
class BrokerSmokeTest {
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void clusterCreatesTopics(KafkaCluster cluster) throws Exception {
        String topic = cluster.createTopic("smoke", 2);
        assertTrue(cluster.topics().contains(topic));
    }
}
