-- What to do with each client today: every open deal, the stage it stands
-- at, the contacts made since it entered that stage, and the next contact
-- the prescribed chain asks for (NULL: the chain is done, move the deal on).
CREATE TEMP VIEW next_contacts AS
SELECT seller_id, deal_id, stage, entered_at, done, prescribed,
       chain_next(done, prescribed) AS next_contact
FROM (SELECT d.seller_id, d.deal_id, h.stage, h.entered_at,
             coalesce(contact_chain_agg(c.kind, c.at), '') AS done,
             fs.prescribed_chain::contact_chain AS prescribed
      FROM crm.deals d
      JOIN crm.stage_history h ON h.deal_id = d.deal_id AND h.left_at IS NULL
      JOIN crm.funnel_stages fs ON fs.funnel_id = d.funnel_id AND fs.stage = h.stage
      LEFT JOIN crm.contacts c
             ON c.deal_id = d.deal_id AND c.at >= h.entered_at AND c.at <= crm.as_of()
      WHERE d.status = 'open'
      GROUP BY d.seller_id, d.deal_id, h.stage, h.entered_at, fs.prescribed_chain) x;
