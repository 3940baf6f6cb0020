-- An Odoo-shaped database for the tests of integrations/odoo.sql: the
-- tables of crm.lead, crm.stage, crm.team, crm.team.member, crm.lost.reason,
-- mail.message, mail.tracking.value, mail.activity, mail.activity.type,
-- mail.activity.plan(.template) and gamification.goal(.definition,
-- .challenge), with the column names and types Odoo's ORM gives them in
-- Odoo 17 to 19 (Many2one int4, Char varchar, translated Char jsonb,
-- Datetime timestamp in UTC, Monetary numeric, Float float8; every table
-- with id, create_uid, create_date, write_uid and write_date), read from
-- the models' field definitions.  Tables Odoo's CRM only refers to are
-- stubs.  In schema odoo.
DROP SCHEMA IF EXISTS odoo CASCADE;
CREATE SCHEMA odoo;
SET search_path = odoo;

-- ---------- stubs for referenced tables ----------
CREATE TABLE res_company  (id serial PRIMARY KEY, name varchar NOT NULL, currency_id int4);
CREATE TABLE res_currency (id serial PRIMARY KEY, name varchar NOT NULL, symbol varchar);
CREATE TABLE res_partner  (id serial PRIMARY KEY, name varchar, email varchar, company_id int4 REFERENCES res_company(id) ON DELETE SET NULL,
                           active bool DEFAULT true, create_date timestamp, write_date timestamp);
CREATE TABLE res_lang          (id serial PRIMARY KEY, name varchar NOT NULL, code varchar NOT NULL UNIQUE);
CREATE TABLE res_country       (id serial PRIMARY KEY, name jsonb NOT NULL, code varchar);
CREATE TABLE res_country_state (id serial PRIMARY KEY, country_id int4 NOT NULL REFERENCES res_country(id), name varchar NOT NULL, code varchar NOT NULL);
CREATE TABLE utm_campaign (id serial PRIMARY KEY, name varchar NOT NULL);
CREATE TABLE utm_medium   (id serial PRIMARY KEY, name varchar NOT NULL);
CREATE TABLE utm_source   (id serial PRIMARY KEY, name varchar NOT NULL);
CREATE TABLE mail_alias   (id serial PRIMARY KEY, alias_name varchar);
CREATE TABLE mail_template(id serial PRIMARY KEY, name jsonb);
CREATE TABLE calendar_event(id serial PRIMARY KEY, name varchar NOT NULL, start timestamp, stop timestamp);
CREATE TABLE gamification_badge(id serial PRIMARY KEY, name jsonb NOT NULL);
CREATE TABLE discuss_channel(id serial PRIMARY KEY, name varchar NOT NULL);
CREATE TABLE ir_act_window (id serial PRIMARY KEY, name jsonb NOT NULL, res_model varchar NOT NULL);
CREATE TABLE mail_message_subtype (id serial PRIMARY KEY, name jsonb NOT NULL, res_model varchar, internal bool, "default" bool DEFAULT true);
CREATE TABLE ir_model_data (id serial PRIMARY KEY, module varchar NOT NULL, name varchar NOT NULL, model varchar NOT NULL, res_id int4,
                            UNIQUE (module, name));   -- xmlid resolution, e.g. crm.mt_lead_stage, mail.mt_activities

-- ---------- base ----------
CREATE TABLE res_users (
    id          serial PRIMARY KEY,
    login       varchar NOT NULL UNIQUE,
    partner_id  int4 NOT NULL REFERENCES res_partner(id) ON DELETE RESTRICT,
    company_id  int4 REFERENCES res_company(id),
    active      bool DEFAULT true,
    share       bool,
    create_uid  int4, create_date timestamp, write_uid int4, write_date timestamp
);

CREATE TABLE ir_model (
    id          serial PRIMARY KEY,
    model       varchar NOT NULL UNIQUE,          -- 'crm.lead'
    name        jsonb NOT NULL,                   -- {"en_US": "Lead"}
    create_uid  int4, create_date timestamp, write_uid int4, write_date timestamp
);

CREATE TABLE ir_model_fields (
    id                serial PRIMARY KEY,
    name              varchar NOT NULL,           -- 'stage_id'
    model             varchar NOT NULL,           -- 'crm.lead'
    model_id          int4 NOT NULL REFERENCES ir_model(id) ON DELETE CASCADE,
    field_description jsonb NOT NULL,
    ttype             varchar NOT NULL,           -- 'many2one'
    relation          varchar,                    -- 'crm.stage'
    store             bool DEFAULT true,
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp,
    UNIQUE (model, name)
);

-- ---------- sales_team / crm ----------
CREATE TABLE crm_team (
    id                          serial PRIMARY KEY,
    name                        jsonb NOT NULL,
    sequence                    int4 DEFAULT 10,
    active                      bool DEFAULT true,
    company_id                  int4 REFERENCES res_company(id) ON DELETE SET NULL,
    user_id                     int4 REFERENCES res_users(id) ON DELETE SET NULL,   -- Team Leader
    color                       int4,
    -- crm
    use_leads                   bool,
    use_opportunities           bool DEFAULT true,
    alias_id                    int4 REFERENCES mail_alias(id) ON DELETE RESTRICT,
    assignment_optout           bool,
    assignment_domain           varchar,
    lead_properties_definition  jsonb,
    -- sale (only when sale installed)
    invoiced_target             float8,
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp
);

CREATE TABLE team_favorite_user_rel (
    team_id  int4 NOT NULL REFERENCES crm_team(id) ON DELETE CASCADE,
    user_id  int4 NOT NULL REFERENCES res_users(id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE crm_team_member (
    id                           serial PRIMARY KEY,
    crm_team_id                  int4 NOT NULL REFERENCES crm_team(id) ON DELETE CASCADE,
    user_id                      int4 NOT NULL REFERENCES res_users(id) ON DELETE CASCADE,
    active                       bool DEFAULT true,
    -- crm
    assignment_domain            varchar,
    assignment_domain_preferred  varchar,
    assignment_optout            bool,
    assignment_max               int4 DEFAULT 30,
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp
);
CREATE INDEX crm_team_member_crm_team_id_index ON crm_team_member (crm_team_id);
CREATE INDEX crm_team_member_user_id_index     ON crm_team_member (user_id);

CREATE TABLE crm_stage (
    id                      serial PRIMARY KEY,
    name                    jsonb NOT NULL,       -- {"en_US": "New"}
    sequence                int4 DEFAULT 1,
    is_won                  bool,
    rotting_threshold_days  int4 DEFAULT 0,       -- 0 = rotting disabled
    requirements            text,
    fold                    bool,
    color                   int4,
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp
);

-- Many2many crm.stage.team_ids (no explicit relation -> ORM default name/columns)
CREATE TABLE crm_stage_crm_team_rel (
    crm_stage_id  int4 NOT NULL REFERENCES crm_stage(id) ON DELETE CASCADE,
    crm_team_id   int4 NOT NULL REFERENCES crm_team(id)  ON DELETE RESTRICT,
    PRIMARY KEY (crm_stage_id, crm_team_id)
);
CREATE INDEX ON crm_stage_crm_team_rel (crm_team_id, crm_stage_id);

CREATE TABLE crm_lost_reason (
    id      serial PRIMARY KEY,
    name    jsonb NOT NULL,
    active  bool DEFAULT true,
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp
);

CREATE TABLE crm_recurring_plan (
    id                serial PRIMARY KEY,
    name              jsonb NOT NULL,
    number_of_months  int4 NOT NULL CHECK (number_of_months >= 0),
    active            bool DEFAULT true,
    sequence          int4 DEFAULT 10,
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp
);

CREATE TABLE crm_tag (id serial PRIMARY KEY, name jsonb NOT NULL, color int4,
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp);

CREATE TABLE crm_lead (
    id                                 serial PRIMARY KEY,
    name                               varchar NOT NULL,
    user_id                            int4 REFERENCES res_users(id) ON DELETE SET NULL,
    team_id                            int4 REFERENCES crm_team(id) ON DELETE SET NULL,
    lead_properties                    jsonb,
    company_id                         int4 REFERENCES res_company(id) ON DELETE SET NULL,
    referred                           varchar,
    description                        text,
    active                             bool DEFAULT true,
    type                               varchar NOT NULL,                 -- 'lead' | 'opportunity'
    priority                           varchar DEFAULT '0',              -- '0'..'3'
    stage_id                           int4 REFERENCES crm_stage(id) ON DELETE RESTRICT,
    color                              int4 DEFAULT 0,
    expected_revenue                   numeric DEFAULT 0,
    prorated_revenue                   numeric,                          -- round(expected_revenue*probability/100, 2)
    recurring_revenue                  numeric DEFAULT 0,
    recurring_plan                     int4 REFERENCES crm_recurring_plan(id) ON DELETE SET NULL,
    recurring_revenue_monthly          numeric,
    recurring_revenue_monthly_prorated numeric,
    recurring_revenue_prorated         numeric,
    date_closed                        timestamp,
    date_automation_last               timestamp,
    date_open                          timestamp,
    day_open                           float8,
    day_close                          float8,
    date_last_stage_update             timestamp,
    date_conversion                    timestamp,
    date_deadline                      date,                             -- Expected Closing
    partner_id                         int4 REFERENCES res_partner(id) ON DELETE SET NULL,
    contact_name                       varchar,
    partner_name                       varchar,
    function                           varchar,
    email_from                         varchar,
    email_normalized                   varchar,
    email_domain_criterion             varchar,
    email_cc                           varchar,
    phone                              varchar,
    phone_sanitized                    varchar,
    phone_state                        varchar,
    email_state                        varchar,
    website                            varchar,
    lang_id                            int4 REFERENCES res_lang(id) ON DELETE SET NULL,
    street                             varchar,
    street2                            varchar,
    zip                                varchar,
    city                               varchar,
    state_id                           int4 REFERENCES res_country_state(id) ON DELETE RESTRICT,
    country_id                         int4 REFERENCES res_country(id) ON DELETE RESTRICT,
    probability                        float8,
    automated_probability              float8,
    won_status                         varchar,                          -- 'won' | 'lost' | 'pending'
    lost_reason_id                     int4 REFERENCES crm_lost_reason(id) ON DELETE RESTRICT,
    campaign_id                        int4 REFERENCES utm_campaign(id) ON DELETE SET NULL,
    medium_id                          int4 REFERENCES utm_medium(id)   ON DELETE SET NULL,
    source_id                          int4 REFERENCES utm_source(id)   ON DELETE SET NULL,
    message_bounce                     int4 DEFAULT 0,                   -- mail.thread.blacklist
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp,
    CONSTRAINT crm_lead_check_probability CHECK (probability >= 0 AND probability <= 100)
);
CREATE INDEX crm_lead_stage_id_index               ON crm_lead (stage_id);
CREATE INDEX crm_lead_team_id_index                ON crm_lead (team_id);
CREATE INDEX crm_lead_user_id_index                ON crm_lead (user_id);
CREATE INDEX crm_lead_date_last_stage_update_index ON crm_lead (date_last_stage_update);
CREATE INDEX crm_lead__user_id_team_id_type_index  ON crm_lead (user_id, team_id, type);
CREATE INDEX crm_lead__create_date_team_id_idx     ON crm_lead (create_date, team_id);

CREATE TABLE crm_tag_rel (
    lead_id  int4 NOT NULL REFERENCES crm_lead(id) ON DELETE CASCADE,
    tag_id   int4 NOT NULL REFERENCES crm_tag(id)  ON DELETE CASCADE,
    PRIMARY KEY (lead_id, tag_id)
);

-- ---------- mail ----------
CREATE TABLE mail_activity_type (
    id                      serial PRIMARY KEY,
    name                    jsonb NOT NULL,
    summary                 jsonb,
    sequence                int4 DEFAULT 10,
    active                  bool DEFAULT true,
    delay_count             int4 DEFAULT 0,
    delay_unit              varchar NOT NULL DEFAULT 'days',             -- days|weeks|months
    delay_from              varchar NOT NULL DEFAULT 'previous_activity',-- current_date|previous_activity
    icon                    varchar,
    decoration_type         varchar,                                     -- warning|danger
    res_model               varchar,                                     -- e.g. 'crm.lead' or NULL (generic)
    triggered_next_type_id  int4 REFERENCES mail_activity_type(id) ON DELETE RESTRICT,
    chaining_type           varchar NOT NULL DEFAULT 'suggest',          -- suggest|trigger
    category                varchar DEFAULT 'default',                   -- default|upload_file|phonecall|meeting
    default_user_id         int4 REFERENCES res_users(id) ON DELETE SET NULL,
    default_note            jsonb,
    keep_done               bool,                                        -- 17+: archive instead of delete when done
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp
);

CREATE TABLE mail_activity_rel (   -- suggested_next_type_ids / previous_type_ids
    activity_id     int4 NOT NULL REFERENCES mail_activity_type(id) ON DELETE CASCADE,
    recommended_id  int4 NOT NULL REFERENCES mail_activity_type(id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, recommended_id)
);

CREATE TABLE mail_message (
    id                      serial PRIMARY KEY,
    subject                 varchar,
    date                    timestamp,                                   -- UTC
    body                    text DEFAULT '',
    parent_id               int4 REFERENCES mail_message(id) ON DELETE SET NULL,
    model                   varchar,                                     -- 'crm.lead'
    res_id                  int4,                                        -- Many2oneReference
    record_alias_domain_id  int4,
    record_company_id       int4 REFERENCES res_company(id) ON DELETE SET NULL,
    message_type            varchar NOT NULL DEFAULT 'comment',          -- email|comment|email_outgoing|notification|auto_comment|user_notification|...
    subtype_id              int4 REFERENCES mail_message_subtype(id) ON DELETE SET NULL,
    mail_activity_type_id   int4 REFERENCES mail_activity_type(id) ON DELETE SET NULL,
    is_internal             bool,
    email_from              varchar,
    author_id               int4 REFERENCES res_partner(id) ON DELETE SET NULL,
    author_guest_id         int4,
    incoming_email_to       text,
    incoming_email_cc       varchar,
    outgoing_email_to       varchar,
    pinned_at               timestamp,
    reply_to_force_new      bool,
    message_id              varchar,
    reply_to                varchar,
    mail_server_id          int4,
    email_layout_xmlid      varchar,
    email_add_signature     bool DEFAULT true,
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp
);
CREATE INDEX mail_message__model_res_id_idx    ON mail_message (model, res_id);
CREATE INDEX mail_message__model_res_id_id_idx ON mail_message (model, res_id, id);
CREATE INDEX mail_message_subtype_id_index     ON mail_message (subtype_id);
CREATE INDEX mail_message_author_id_index      ON mail_message (author_id);
CREATE INDEX mail_message_mail_activity_type_id_index ON mail_message (mail_activity_type_id) WHERE mail_activity_type_id IS NOT NULL;

CREATE TABLE mail_message_res_partner_rel (   -- mail.message.partner_ids (ORM default)
    mail_message_id int4 NOT NULL REFERENCES mail_message(id) ON DELETE CASCADE,
    res_partner_id  int4 NOT NULL REFERENCES res_partner(id)  ON DELETE CASCADE,
    PRIMARY KEY (mail_message_id, res_partner_id)
);

CREATE TABLE mail_tracking_value (
    id                  serial PRIMARY KEY,
    field_id            int4 REFERENCES ir_model_fields(id) ON DELETE SET NULL,
    field_info          jsonb,
    old_value_integer   int4,
    old_value_float     float8,
    old_value_char      varchar,
    old_value_text      text,
    old_value_datetime  timestamp,
    new_value_integer   int4,
    new_value_float     float8,
    new_value_char      varchar,
    new_value_text      text,
    new_value_datetime  timestamp,
    currency_id         int4 REFERENCES res_currency(id) ON DELETE SET NULL,
    mail_message_id     int4 NOT NULL REFERENCES mail_message(id) ON DELETE CASCADE,
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp
);
CREATE INDEX mail_tracking_value_field_id_index        ON mail_tracking_value (field_id);
CREATE INDEX mail_tracking_value_mail_message_id_index ON mail_tracking_value (mail_message_id);

CREATE TABLE mail_activity (
    id                            serial PRIMARY KEY,
    res_model_id                  int4 REFERENCES ir_model(id) ON DELETE CASCADE,   -- NOT NULL in <=17; nullable in 18+ (personal activities)
    res_model                     varchar,
    res_id                        int4,
    res_name                      varchar,
    activity_type_id              int4 REFERENCES mail_activity_type(id) ON DELETE RESTRICT,
    summary                       varchar,
    note                          text,
    date_deadline                 date NOT NULL,
    date_done                     date,
    automated                     bool,
    user_id                       int4 NOT NULL REFERENCES res_users(id) ON DELETE CASCADE,
    request_partner_id            int4 REFERENCES res_partner(id) ON DELETE SET NULL,
    recommended_activity_type_id  int4 REFERENCES mail_activity_type(id) ON DELETE SET NULL,
    previous_activity_type_id     int4 REFERENCES mail_activity_type(id) ON DELETE SET NULL,
    active                        bool DEFAULT true,
    calendar_event_id             int4 REFERENCES calendar_event(id) ON DELETE SET NULL,  -- calendar module
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp
);
CREATE INDEX mail_activity_res_model_res_id_idx ON mail_activity (res_model, res_id);
CREATE INDEX mail_activity_date_deadline_index  ON mail_activity (date_deadline);
CREATE INDEX mail_activity_user_id_index        ON mail_activity (user_id);

CREATE TABLE mail_activity_plan (
    id            serial PRIMARY KEY,
    name          varchar NOT NULL,
    company_id    int4 REFERENCES res_company(id) ON DELETE SET NULL,
    active        bool DEFAULT true,
    res_model_id  int4 NOT NULL REFERENCES ir_model(id) ON DELETE CASCADE,
    res_model     varchar NOT NULL,
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp
);

CREATE TABLE mail_activity_plan_template (
    id                serial PRIMARY KEY,
    plan_id           int4 NOT NULL REFERENCES mail_activity_plan(id) ON DELETE CASCADE,
    sequence          int4 DEFAULT 10,
    activity_type_id  int4 NOT NULL REFERENCES mail_activity_type(id) ON DELETE RESTRICT,
    delay_count       int4 DEFAULT 0,
    delay_unit        varchar NOT NULL DEFAULT 'days',                 -- days|weeks|months
    delay_from        varchar NOT NULL DEFAULT 'before_plan_date',     -- before_plan_date|after_plan_date
    summary           varchar,
    responsible_type  varchar NOT NULL DEFAULT 'on_demand',            -- on_demand|other
    responsible_id    int4 REFERENCES res_users(id) ON DELETE SET NULL,
    note              text,
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp
);
CREATE INDEX mail_activity_plan_template_plan_id_index ON mail_activity_plan_template (plan_id);

-- ---------- gamification ----------
CREATE TABLE gamification_goal_definition (
    id                       serial PRIMARY KEY,
    name                     jsonb NOT NULL,
    description              text,
    monetary                 bool DEFAULT false,
    suffix                   jsonb,
    computation_mode         varchar NOT NULL DEFAULT 'manually',   -- manually|count|sum|python
    display_mode             varchar NOT NULL DEFAULT 'progress',   -- progress|boolean
    model_id                 int4 REFERENCES ir_model(id) ON DELETE CASCADE,
    field_id                 int4 REFERENCES ir_model_fields(id) ON DELETE SET NULL,
    field_date_id            int4 REFERENCES ir_model_fields(id) ON DELETE SET NULL,
    domain                   varchar NOT NULL DEFAULT '[]',
    batch_mode               bool,
    batch_distinctive_field  int4 REFERENCES ir_model_fields(id) ON DELETE SET NULL,
    batch_user_expression    varchar,
    compute_code             text,
    condition                varchar NOT NULL DEFAULT 'higher',     -- higher|lower
    action_id                int4 REFERENCES ir_act_window(id) ON DELETE SET NULL,
    res_id_field             varchar,
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp
);

CREATE TABLE gamification_challenge (
    id                        serial PRIMARY KEY,
    name                      jsonb NOT NULL,
    description               jsonb,
    state                     varchar NOT NULL DEFAULT 'draft',      -- draft|inprogress|done
    manager_id                int4 REFERENCES res_users(id) ON DELETE SET NULL,
    user_domain               varchar,
    period                    varchar NOT NULL DEFAULT 'once',       -- once|daily|weekly|monthly|yearly
    start_date                date,
    end_date                  date,
    reward_id                 int4 REFERENCES gamification_badge(id) ON DELETE SET NULL,
    reward_first_id           int4 REFERENCES gamification_badge(id) ON DELETE SET NULL,
    reward_second_id          int4 REFERENCES gamification_badge(id) ON DELETE SET NULL,
    reward_third_id           int4 REFERENCES gamification_badge(id) ON DELETE SET NULL,
    reward_failure            bool,
    reward_realtime           bool DEFAULT true,
    visibility_mode           varchar NOT NULL DEFAULT 'personal',   -- personal|ranking
    report_message_frequency  varchar NOT NULL DEFAULT 'never',
    report_message_group_id   int4 REFERENCES discuss_channel(id) ON DELETE SET NULL,
    report_template_id        int4 REFERENCES mail_template(id) ON DELETE RESTRICT,  -- NOT NULL in Odoo (required=True)
    remind_update_delay       int4,
    last_report_date          date,
    next_report_date          date,
    challenge_category        varchar NOT NULL DEFAULT 'hr',
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp
);

CREATE TABLE gamification_challenge_users_rel (
    gamification_challenge_id  int4 NOT NULL REFERENCES gamification_challenge(id) ON DELETE CASCADE,
    res_users_id               int4 NOT NULL REFERENCES res_users(id) ON DELETE CASCADE,
    PRIMARY KEY (gamification_challenge_id, res_users_id)
);

CREATE TABLE gamification_challenge_line (
    id             serial PRIMARY KEY,
    challenge_id   int4 NOT NULL REFERENCES gamification_challenge(id) ON DELETE CASCADE,
    definition_id  int4 NOT NULL REFERENCES gamification_goal_definition(id) ON DELETE CASCADE,
    sequence       int4 DEFAULT 1,
    target_goal    float8 NOT NULL,
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp
);

CREATE TABLE gamification_goal (
    id                   serial PRIMARY KEY,
    definition_id        int4 NOT NULL REFERENCES gamification_goal_definition(id) ON DELETE CASCADE,
    user_id              int4 NOT NULL REFERENCES res_users(id) ON DELETE CASCADE,
    line_id              int4 REFERENCES gamification_challenge_line(id) ON DELETE CASCADE,
    challenge_id         int4 REFERENCES gamification_challenge(id) ON DELETE SET NULL,  -- related line_id.challenge_id, stored
    start_date           date,
    end_date             date,
    target_goal          float8 NOT NULL,
    current              float8 NOT NULL DEFAULT 0,
    state                varchar NOT NULL DEFAULT 'draft',   -- draft|inprogress|reached|failed|canceled
    to_update            bool,
    closed               bool,
    remind_update_delay  int4,
    last_update          date,
    create_uid int4, create_date timestamp, write_uid int4, write_date timestamp
);
CREATE INDEX gamification_goal_challenge_id_index ON gamification_goal (challenge_id);
RESET search_path;
