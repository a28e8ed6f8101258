//! A bounded cache of recently read blobs, shared by the history workers.

use git2::Oid;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

/// Recently read blobs, so that the old side of a diff (usually the version
/// scanned a few commits earlier, maybe by another thread) is not inflated
/// again. Bounded: small text blobs only, oldest dropped first.
///
/// Only blobs that a diffed commit names as the old side of a change are
/// kept ([`Recent::want`]): copying every blob read cost a tenth of a
/// pre-receive check, where new files are most of a push and the old sides
/// of its modifications were never read in it (issue 13). Diffs run ahead of
/// the scans, so in a history the next version's diff has usually named the
/// blob by the time it is read; when it has not, the old side is read from
/// the repository as before.
#[derive(Default)]
pub struct Recent {
    inner: Mutex<RecentInner>,
    wanted: Mutex<HashSet<Oid>>,
}

#[derive(Default)]
struct RecentInner {
    blobs: HashMap<Oid, Arc<[u8]>>,
    order: VecDeque<Oid>,
    bytes: usize,
}

/// Largest blob kept, and the total kept.
const RECENT_BLOB: usize = 1 << 20;
const RECENT_TOTAL: usize = 32 << 20;

impl Recent {
    /// The blob `id`, if it is still kept.
    pub fn get(&self, id: Oid) -> Option<Arc<[u8]>> {
        self.inner.lock().expect("cache").blobs.get(&id).cloned()
    }

    /// Notes that blob `id` is the old side of a change still to be scanned.
    pub fn want(&self, id: Oid) {
        self.wanted.lock().expect("cache").insert(id);
    }

    /// Keeps a copy of blob `id` (if small enough and wanted), dropping the
    /// oldest. The want is spent either way, so the set holds only blobs not
    /// read yet rather than every old side of the whole history.
    pub fn put(&self, id: Oid, data: &[u8]) {
        let wanted = self.wanted.lock().expect("cache").remove(&id);
        if data.len() > RECENT_BLOB || !wanted {
            return;
        }
        let mut c = self.inner.lock().expect("cache");
        if c.blobs.insert(id, Arc::from(data)).is_some() {
            return;
        }
        c.bytes += data.len();
        c.order.push_back(id);
        while c.bytes > RECENT_TOTAL {
            let Some(old) = c.order.pop_front() else {
                break;
            };
            if let Some(b) = c.blobs.remove(&old) {
                c.bytes -= b.len();
            }
        }
    }
}
