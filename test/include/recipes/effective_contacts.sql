-- Effective actions (DOMAIN rule 4): one row per contact with the stage the
-- deal stood at when the contact happened and whether the contact was
-- effective: the deal entered a higher stage after it and before the deal's
-- next contact (for the deal's last contact: by crm.as_of()).
-- Contacts and stage entries of a deal are read on one time line; an entry
-- sorts before a contact at the same moment, and of several contacts at one
-- moment the last (by contact_id) gets the credit.
CREATE TEMP VIEW effective_contacts AS
WITH timeline AS (
    SELECT deal_id, entered_at AS at, 0 AS ord, stage, NULL::bigint AS contact_id
    FROM crm.stage_history
    WHERE entered_at <= crm.as_of()
    UNION ALL
    SELECT deal_id, at, 1, NULL, contact_id
    FROM crm.contacts
    WHERE at <= crm.as_of()),
numbered AS (
    SELECT *,
           count(stage) OVER w AS stage_no,        -- entries so far: the stage segment
           count(contact_id) OVER w AS contact_no  -- contacts so far: a contact and the
                                                   -- entries after it
    FROM timeline
    WINDOW w AS (PARTITION BY deal_id ORDER BY at, ord, stage, contact_id ROWS UNBOUNDED PRECEDING)),
spans AS (
    SELECT contact_id,
           max(stage) OVER (PARTITION BY deal_id, stage_no) AS stage,
           max(stage) OVER (PARTITION BY deal_id, contact_no) AS reached
    FROM numbered)
SELECT c.contact_id, c.deal_id, c.seller_id, c.kind, c.at, s.stage,
       coalesce(stage_position(s.reached) > coalesce(stage_position(s.stage), 0), false) AS effective
FROM spans s
JOIN crm.contacts c USING (contact_id);
