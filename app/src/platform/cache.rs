//! Results of expensive reads (inventory search, requisition lists), kept per tenant until the
//! tenant's data of that kind changes — the model of a search engine's request cache.
//!
//! Changes are learnt from PostgreSQL: statement-level triggers on the tables a result is read
//! from call `pg_notify('millwright_changes', '<kind>:<tenant>')`, delivered at commit to every
//! server instance's listener, which drops that tenant's results of that kind. A result is
//! stored with the tenant's generation read *before* its query ran, so a result computed while
//! a change committed is never served after the notification arrives. The cache is used only
//! while the listener is connected; losing the connection (notifications may have been missed)
//! drops everything.
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use uuid::Uuid;

/// What a cached result was read from; the notification payload's first part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Items, categories, stock balances, locations, plants.
    Inventory,
    /// Requisitions and what their lists show.
    Requisitions,
    /// Users, their roles and grants, tenants and plants: who is calling.
    Principals,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "inventory" => Some(Kind::Inventory),
            "requisitions" => Some(Kind::Requisitions),
            "principals" => Some(Kind::Principals),
            _ => None,
        }
    }
}

/// The state of a tenant's data of one kind when a read started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    epoch: u64,
    generation: u64,
}

struct Entry<V> {
    stamp: Stamp,
    value: Arc<V>,
}

struct Inner<K, V> {
    epoch: u64,
    generations: HashMap<(Kind, Uuid), u64>,
    entries: HashMap<(Kind, Uuid, K), Entry<V>>,
    order: VecDeque<(Kind, Uuid, K)>,
}

/// A bounded map of results (oldest dropped first) valid for one generation of a tenant's data.
pub struct ResultCache<K, V> {
    inner: Mutex<Inner<K, V>>,
    capacity: usize,
    listening: AtomicBool,
}

impl<K: Clone + Eq + Hash, V> ResultCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        ResultCache {
            inner: Mutex::new(Inner {
                epoch: 0,
                generations: HashMap::new(),
                entries: HashMap::new(),
                order: VecDeque::new(),
            }),
            capacity,
            listening: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner<K, V>> {
        // a panic while holding the lock leaves consistent maps (no invariant spans two writes)
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether changes are being heard; without that nothing is served or kept.
    pub fn set_listening(&self, on: bool) {
        self.listening.store(on, Ordering::SeqCst);
        if !on {
            self.clear();
        }
    }

    /// Read before the query: None when the cache is off.
    pub fn stamp(&self, kind: Kind, tenant: Uuid) -> Option<Stamp> {
        if !self.listening.load(Ordering::SeqCst) {
            return None;
        }
        let inner = self.lock();
        Some(Stamp {
            epoch: inner.epoch,
            generation: inner.generations.get(&(kind, tenant)).copied().unwrap_or(0),
        })
    }

    pub fn get(&self, kind: Kind, tenant: Uuid, key: &K, stamp: Stamp) -> Option<Arc<V>> {
        let inner = self.lock();
        let e = inner.entries.get(&(kind, tenant, key.clone()))?;
        (e.stamp == stamp).then(|| e.value.clone())
    }

    /// Keeps `value` if nothing changed since `stamp` was read.
    pub fn put(&self, kind: Kind, tenant: Uuid, key: K, stamp: Stamp, value: Arc<V>) {
        let mut inner = self.lock();
        let now = Stamp {
            epoch: inner.epoch,
            generation: inner.generations.get(&(kind, tenant)).copied().unwrap_or(0),
        };
        if now != stamp || !self.listening.load(Ordering::SeqCst) {
            return;
        }
        let full = (kind, tenant, key);
        if inner
            .entries
            .insert(full.clone(), Entry { stamp, value })
            .is_none()
        {
            inner.order.push_back(full);
        }
        while inner.entries.len() > self.capacity {
            match inner.order.pop_front() {
                Some(old) => {
                    inner.entries.remove(&old);
                }
                None => break,
            }
        }
    }

    /// The tenant's data of this kind changed: its results are dropped.
    pub fn invalidate(&self, kind: Kind, tenant: Uuid) {
        let mut inner = self.lock();
        *inner.generations.entry((kind, tenant)).or_default() += 1;
        inner.entries.retain(|k, _| k.0 != kind || k.1 != tenant);
        let Inner { order, entries, .. } = &mut *inner;
        order.retain(|k| entries.contains_key(k));
    }

    /// Everything may have changed (a change without a tenant, or notifications missed).
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.epoch += 1;
        inner.entries.clear();
        inner.order.clear();
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A notification payload `<kind>:<tenant>`; anything else clears the whole cache.
    pub fn apply(&self, payload: &str) {
        let parsed = payload
            .split_once(':')
            .and_then(|(k, t)| Some((Kind::parse(k)?, t.parse::<Uuid>().ok()?)));
        match parsed {
            Some((kind, tenant)) => self.invalidate(kind, tenant),
            None => self.clear(),
        }
    }
}

/// Every result cache of a server instance, fed by one listener.
pub struct Caches {
    /// Off by configuration: nothing is ever kept.
    enabled: bool,
    /// Inventory searches by language, text, filters and page.
    pub search: ResultCache<String, crate::inventory::model::SearchResult>,
    /// Signed-in users with their grants, by user (read on every request).
    pub principals: ResultCache<Uuid, crate::platform::model::SessionUser>,
    /// Requisition list pages by caller, scope and filter.
    pub requisitions: ResultCache<
        String,
        crate::procurement::model::Page<crate::procurement::model::RequisitionRow>,
    >,
}

/// Searches kept per instance (about 10 KB each).
const SEARCH_ENTRIES: usize = 2_000;
/// Users kept per instance (about 2 KB each).
const PRINCIPAL_ENTRIES: usize = 5_000;
/// Requisition list pages kept per instance (about 5 KB each).
const REQUISITION_ENTRIES: usize = 2_000;

impl Caches {
    pub fn new(enabled: bool) -> Self {
        Caches {
            enabled,
            search: ResultCache::new(SEARCH_ENTRIES),
            principals: ResultCache::new(PRINCIPAL_ENTRIES),
            requisitions: ResultCache::new(REQUISITION_ENTRIES),
        }
    }

    /// Called by the listener: on once it hears changes, off when it lost them.
    pub fn set_listening(&self, on: bool) {
        self.search.set_listening(on && self.enabled);
        self.principals.set_listening(on && self.enabled);
        self.requisitions.set_listening(on && self.enabled);
    }

    /// A `millwright_changes` payload.
    pub fn apply(&self, payload: &str) {
        self.search.apply(payload);
        self.principals.apply(payload);
        self.requisitions.apply(payload);
    }

    pub fn clear(&self) {
        self.search.clear();
        self.principals.clear();
        self.requisitions.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache() -> ResultCache<String, u32> {
        let c = ResultCache::new(3);
        c.set_listening(true);
        c
    }

    #[test]
    fn a_result_is_served_until_its_tenant_changes() {
        let c = cache();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let s = c.stamp(Kind::Inventory, a).unwrap();
        c.put(Kind::Inventory, a, "q".into(), s, Arc::new(1));
        let sb = c.stamp(Kind::Inventory, b).unwrap();
        c.put(Kind::Inventory, b, "q".into(), sb, Arc::new(2));
        assert_eq!(
            c.get(Kind::Inventory, a, &"q".into(), s).as_deref(),
            Some(&1)
        );
        c.apply(&format!("inventory:{a}"));
        let s2 = c.stamp(Kind::Inventory, a).unwrap();
        assert_ne!(s, s2);
        assert_eq!(c.get(Kind::Inventory, a, &"q".into(), s2), None);
        // the other tenant and the other kind keep theirs
        assert_eq!(
            c.get(Kind::Inventory, b, &"q".into(), sb).as_deref(),
            Some(&2)
        );
        c.apply(&format!("requisitions:{b}"));
        assert_eq!(
            c.get(Kind::Inventory, b, &"q".into(), sb).as_deref(),
            Some(&2)
        );
    }

    #[test]
    fn a_result_read_while_a_change_committed_is_not_kept() {
        let c = cache();
        let a = Uuid::new_v4();
        let before = c.stamp(Kind::Inventory, a).unwrap();
        c.invalidate(Kind::Inventory, a); // the change's notification arrives during the query
        c.put(Kind::Inventory, a, "q".into(), before, Arc::new(1));
        assert!(c.is_empty());
    }

    #[test]
    fn nothing_is_kept_or_served_without_the_listener() {
        let c: ResultCache<String, u32> = ResultCache::new(3);
        assert!(c.stamp(Kind::Inventory, Uuid::new_v4()).is_none());
        let on = cache();
        let a = Uuid::new_v4();
        let s = on.stamp(Kind::Inventory, a).unwrap();
        on.put(Kind::Inventory, a, "q".into(), s, Arc::new(1));
        on.set_listening(false);
        assert!(on.is_empty());
        assert!(on.stamp(Kind::Inventory, a).is_none());
    }

    #[test]
    fn the_oldest_results_go_first_and_garbage_clears_everything() {
        let c = cache();
        let a = Uuid::new_v4();
        let s = c.stamp(Kind::Inventory, a).unwrap();
        for (i, q) in ["1", "2", "3", "4"].iter().enumerate() {
            c.put(Kind::Inventory, a, (*q).into(), s, Arc::new(i as u32));
        }
        assert_eq!(c.len(), 3);
        assert_eq!(c.get(Kind::Inventory, a, &"1".into(), s), None);
        assert_eq!(
            c.get(Kind::Inventory, a, &"4".into(), s).as_deref(),
            Some(&3)
        );
        c.apply("something else");
        assert!(c.is_empty());
        assert_ne!(c.stamp(Kind::Inventory, a), Some(s));
    }
}
