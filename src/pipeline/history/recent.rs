//! A bounded cache of recently read blobs, shared by the history workers.

use git2::Oid;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// Recently read blobs, so that the old side of a diff (usually the version
/// scanned a few commits earlier, maybe by another thread) is not inflated
/// again. Bounded: small text blobs only, oldest dropped first.
#[derive(Default)]
pub struct Recent {
    inner: Mutex<RecentInner>,
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

    /// Keeps a copy of blob `id` (if small enough), dropping the oldest.
    pub fn put(&self, id: Oid, data: &[u8]) {
        if data.len() > RECENT_BLOB {
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
