"""The domain's rules, with no database access: the policy numbers (policy), Beijing time
(clock), unit codes (geography) and resident ID numbers (resident_id). Every layer may read
them — pages through portal, the portal, the queries, the seed and the warehouse — so each rule
has one home below them all."""
