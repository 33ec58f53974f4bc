//! The one thread that writes articles, and the one that analyses stories.
//!
//! SQLite has one writer at a time, so every write goes through one thread that owns the
//! write connection and the story index. Requests that arrive while it is busy are committed
//! together in the next transaction (group commit), and each is answered only after that
//! commit: an acknowledged article is durable. Analysis is slow and runs on its own thread from
//! the store's list of stale stories, so a crash between an ingest and its analysis only
//! delays the analysis.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crosscheck_model::Document;
use crosscheck_pipeline::Options;
use crosscheck_store::Store;
use tokio::sync::{mpsc, oneshot};

use crate::library::{analyze_story, Library, Outcome};

/// Most documents committed in one transaction.
const MAX_GROUP: usize = 512;

pub struct WriteJob {
    pub docs: Vec<Document>,
    pub reply: oneshot::Sender<Result<Vec<Outcome>, String>>,
}

/// Handle to the writer thread.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<WriteJob>,
    pub ready: Arc<AtomicBool>,
}

impl Writer {
    /// Starts the writer thread over the library at `db`, and the analyser thread unless
    /// `analysis` is `None` (stories then stay stale for a later run to analyse).
    pub fn start(db: PathBuf, analysis: Option<Options>) -> anyhow::Result<Writer> {
        let (jobs, rx) = mpsc::channel::<WriteJob>(4096);
        let (wake, wake_rx) = std::sync::mpsc::channel::<()>();
        let ready = Arc::new(AtomicBool::new(false));
        let flag = ready.clone();
        let writer_db = db.clone();
        std::thread::Builder::new()
            .name("crosscheck-writer".into())
            .spawn(move || {
                if let Err(e) = write_loop(writer_db, rx, wake, flag) {
                    eprintln!("crosscheck: writer stopped: {e:#}");
                }
            })?;
        if let Some(opts) = analysis {
            std::thread::Builder::new()
                .name("crosscheck-analyser".into())
                .spawn(move || analyse_loop(db, wake_rx, opts))?;
        }
        Ok(Writer { jobs, ready })
    }

    /// Stores `docs` as one unit of a group commit; resolves once committed.
    pub async fn write(&self, docs: Vec<Document>) -> Result<Vec<Outcome>, String> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(WriteJob { docs, reply })
            .await
            .map_err(|_| "the writer has stopped".to_string())?;
        answer
            .await
            .map_err(|_| "the writer has stopped".to_string())?
    }
}

fn write_loop(
    db: PathBuf,
    mut rx: mpsc::Receiver<WriteJob>,
    wake: std::sync::mpsc::Sender<()>,
    ready: Arc<AtomicBool>,
) -> anyhow::Result<()> {
    let mut store = Store::open(&db)?;
    let mut library = Library::load(&mut store)?;
    ready.store(true, Ordering::SeqCst);
    let _ = wake.send(());
    while let Some(first) = rx.blocking_recv() {
        let mut jobs = vec![first];
        let mut count = jobs[0].docs.len();
        while count < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => {
                    count += job.docs.len();
                    jobs.push(job);
                }
                Err(_) => break,
            }
        }
        let mut docs = Vec::with_capacity(count);
        let mut replies = Vec::with_capacity(jobs.len());
        for job in jobs {
            replies.push((job.docs.len(), job.reply));
            docs.extend(job.docs);
        }
        match library.ingest(&mut store, &docs) {
            Ok((outcomes, touched)) => {
                let mut outcomes = outcomes.into_iter();
                for (n, reply) in replies {
                    let _ = reply.send(Ok(outcomes.by_ref().take(n).collect()));
                }
                if !touched.is_empty() {
                    let _ = wake.send(());
                }
            }
            Err(e) => {
                eprintln!("crosscheck: write failed: {e}");
                for (_, reply) in replies {
                    let _ = reply.send(Err(format!("write failed: {e}")));
                }
            }
        }
    }
    Ok(())
}

fn analyse_loop(db: PathBuf, wake: std::sync::mpsc::Receiver<()>, opts: Options) {
    // Wait for the writer to open (and create or migrate) the library first.
    if wake.recv().is_err() {
        return;
    }
    let mut store = match Store::open(&db) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("crosscheck: analyser stopped: {e}");
            return;
        }
    };
    // Stories whose analysis failed, by the revision that failed: retried once they change.
    let mut failed: HashMap<i64, i64> = HashMap::new();
    loop {
        let stale = match store.stale_stories(10_000) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("crosscheck: cannot list stale stories: {e}");
                Vec::new()
            }
        };
        let mut worked = false;
        for id in stale {
            let revision = store.story_revision(id).ok().flatten().unwrap_or_default();
            if failed.get(&id) == Some(&revision) {
                continue;
            }
            worked = true;
            let result =
                std::panic::catch_unwind(AssertUnwindSafe(|| analyze_story(&mut store, id, &opts)));
            match result {
                Ok(Ok(_)) => {
                    failed.remove(&id);
                }
                Ok(Err(e)) => {
                    eprintln!("crosscheck: cannot analyse story {id}: {e:#}");
                    failed.insert(id, revision);
                }
                Err(_) => {
                    eprintln!(
                        "crosscheck: analysing story {id} panicked; skipped until it changes"
                    );
                    failed.insert(id, revision);
                }
            }
        }
        if !worked {
            match wake.recv_timeout(Duration::from_secs(30)) {
                Ok(()) | Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}
