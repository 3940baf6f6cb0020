-- Conveyor conformance: for every deal and every stage it has left, the
-- contacts it received while it stood there (over all its visits, in time
-- order) beside the stage's prescribed chain.  Stages with an empty
-- prescribed chain (won) are left out.
CREATE TEMP VIEW stage_chains AS
SELECT d.seller_id, d.deal_id, h.stage,
       coalesce(contact_chain_agg(c.kind, c.at), '') AS actual,
       fs.prescribed_chain::contact_chain AS prescribed
FROM crm.stage_history h
JOIN crm.deals d USING (deal_id)
JOIN crm.funnel_stages fs ON fs.funnel_id = d.funnel_id AND fs.stage = h.stage
LEFT JOIN crm.contacts c
       ON c.deal_id = h.deal_id AND c.at >= h.entered_at AND c.at < h.left_at
WHERE fs.prescribed_chain <> ''
GROUP BY d.seller_id, d.deal_id, h.stage, fs.prescribed_chain
HAVING bool_and(h.left_at IS NOT NULL);
