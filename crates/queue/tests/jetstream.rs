//! The queue against the real NATS server (127.0.0.1:4222, JetStream),
//! each test on streams of its own, deleted at the end.

use corroborate_model::{Format, Hints, RawDocument};
use corroborate_queue::testing::queue;
use corroborate_queue::{decode, Queue};
use std::time::Duration;

fn doc(i: usize) -> RawDocument {
    RawDocument::new(
        format!("gen/{i}.txt"),
        Format::Text,
        format!("Article {i} about the Velmar ferry."),
        Hints::default(),
    )
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn documents_flow_in_order_and_the_watermark_follows_acks() {
    let Some(guard) = queue("flow") else {
        return;
    };
    let config = guard.config.clone();
    rt().block_on(async {
        let q = Queue::connect(config).await.unwrap();
        let docs: Vec<RawDocument> = (0..5).map(doc).collect();
        let p = q.publish(&docs).await.unwrap();
        assert_eq!((p.published, p.duplicates), (5, 0));
        // The same documents again, within the duplicate window: dropped.
        let p = q.publish(&docs[..2]).await.unwrap();
        assert_eq!((p.published, p.duplicates), (0, 2));
        assert_eq!(q.watermark().await.unwrap(), 0);
        let consumer = q.consumer().await.unwrap();
        let got = consumer.fetch(10, Duration::from_secs(2)).await.unwrap();
        let seqs: Vec<u64> = got.iter().map(|d| d.sequence()).collect();
        assert_eq!(seqs, [1, 2, 3, 4, 5]);
        assert_eq!(decode(got[2].payload(), 1 << 20).unwrap(), docs[2]);
        assert_eq!(got[0].source().as_deref(), Some("gen/0.txt"));
        // Acknowledged out of order: the watermark stops at the first gap.
        got[0].ack().await.unwrap();
        got[2].ack().await.unwrap();
        let st = q.status(5).await.unwrap();
        assert_eq!(q.watermark().await.unwrap(), 1);
        assert_eq!((st.depth, st.ack_pending), (3, 3));
        // A message not acknowledged comes back after the ack wait.
        got[1].ack().await.unwrap();
        got[3].ack().await.unwrap();
        assert_eq!(q.watermark().await.unwrap(), 4);
        let again = consumer.fetch(10, Duration::from_secs(4)).await.unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!((again[0].sequence(), again[0].delivered()), (5, 2));
        again[0].ack().await.unwrap();
        assert_eq!(q.watermark().await.unwrap(), 5);
    });
}

#[test]
fn dead_letters_keep_their_reason_and_are_listed() {
    let Some(guard) = queue("dead") else {
        return;
    };
    let config = guard.config.clone();
    rt().block_on(async {
        let q = Queue::connect(config).await.unwrap();
        q.publish_raw("garbage".into(), "poison-1").await.unwrap();
        q.publish(&[doc(1)]).await.unwrap();
        let consumer = q.consumer().await.unwrap();
        let got = consumer.fetch(10, Duration::from_secs(2)).await.unwrap();
        assert_eq!(got.len(), 2);
        let reason = decode(got[0].payload(), 1 << 20).unwrap_err().to_string();
        q.dead_letter(&got[0], &reason).await.unwrap();
        // Dead-lettering the same message twice keeps one letter.
        q.dead_letter(&got[0], &reason).await.unwrap();
        got[1].ack().await.unwrap();
        let st = q.status(10).await.unwrap();
        assert_eq!((st.depth, st.dead_letters), (0, 1));
        assert_eq!(st.newest_dead_letters[0].sequence, Some(1));
        assert!(st.newest_dead_letters[0].reason.contains("not gzip"));
        assert_eq!(q.watermark().await.unwrap(), 2);
    });
}
