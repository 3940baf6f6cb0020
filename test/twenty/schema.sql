-- Twenty-shaped workspaces for the tests of integrations/twenty.sql: the
-- tables Twenty's ORM creates for the standard objects opportunity, person,
-- company, workspaceMember, timelineActivity, task, note, taskTarget and
-- noteTarget, with the column names and types Twenty gives them (camelCase
-- quoted identifiers; composite fields flattened: amount -> amountAmountMicros
-- numeric + amountCurrencyCode, createdBy -> createdBySource enum +
-- createdByWorkspaceMemberId + createdByName + createdByContext; DATE_TIME
-- timestamptz, POSITION float8, SELECT a PostgreSQL enum named
-- <table>_<column>_enum; every table with id, createdAt, updatedAt and
-- deletedAt), read from packages/twenty-server (see docs/guides/twenty.md).
-- Two workspaces:
--   workspace_3x9k2q1m7d0a  a current one (2026): opportunity.ownerId, the
--                           morph columns targetOpportunityId in
--                           timelineActivity, taskTarget and noteTarget;
--   workspace_1p4o2l7d9x3c  a 2024 one: no ownerId, probability text, the
--                           columns opportunityId, personId, companyId.
-- Foreign keys as Twenty declares them (SET NULL, or CASCADE for a
-- member's timeline rows).
DROP SCHEMA IF EXISTS workspace_3x9k2q1m7d0a CASCADE;
DROP SCHEMA IF EXISTS workspace_1p4o2l7d9x3c CASCADE;

-- ---------- the current workspace ----------
CREATE SCHEMA workspace_3x9k2q1m7d0a;
SET search_path = workspace_3x9k2q1m7d0a;

CREATE TYPE "company_createdBySource_enum" AS ENUM ('EMAIL', 'CALENDAR', 'WORKFLOW', 'API', 'IMPORT', 'MANUAL', 'SYSTEM');
CREATE TYPE "person_createdBySource_enum" AS ENUM ('EMAIL', 'CALENDAR', 'WORKFLOW', 'API', 'IMPORT', 'MANUAL', 'SYSTEM');
CREATE TYPE "opportunity_createdBySource_enum" AS ENUM ('EMAIL', 'CALENDAR', 'WORKFLOW', 'API', 'IMPORT', 'MANUAL', 'SYSTEM');
CREATE TYPE "opportunity_updatedBySource_enum" AS ENUM ('EMAIL', 'CALENDAR', 'WORKFLOW', 'API', 'IMPORT', 'MANUAL', 'SYSTEM');
CREATE TYPE "task_createdBySource_enum" AS ENUM ('EMAIL', 'CALENDAR', 'WORKFLOW', 'API', 'IMPORT', 'MANUAL', 'SYSTEM');
CREATE TYPE "note_createdBySource_enum" AS ENUM ('EMAIL', 'CALENDAR', 'WORKFLOW', 'API', 'IMPORT', 'MANUAL', 'SYSTEM');
CREATE TYPE task_status_enum AS ENUM ('TODO', 'IN_PROGRESS', 'DONE');
-- the default options, in their order; data.sql changes them as Twenty does
CREATE TYPE opportunity_stage_enum AS ENUM ('NEW', 'SCREENING', 'MEETING', 'PROPOSAL', 'CUSTOMER');

CREATE TABLE "workspaceMember" (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "nameFirstName" text NOT NULL DEFAULT '',
    "nameLastName" text NOT NULL DEFAULT '',
    "userEmail" text,
    "userId" uuid NOT NULL,
    "colorScheme" text NOT NULL DEFAULT 'System',
    locale text NOT NULL DEFAULT 'en',
    "avatarUrl" text,
    "timeZone" text NOT NULL DEFAULT 'system',
    position float8 NOT NULL DEFAULT 0,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);

CREATE TABLE company (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text,
    "domainNamePrimaryLinkUrl" text,
    "domainNamePrimaryLinkLabel" text,
    "domainNameSecondaryLinks" jsonb,
    employees float8,
    "annualRecurringRevenueAmountMicros" numeric,
    "annualRecurringRevenueCurrencyCode" text,
    "idealCustomerProfile" boolean NOT NULL DEFAULT false,
    "accountOwnerId" uuid REFERENCES "workspaceMember"(id) ON DELETE SET NULL,
    position float8 NOT NULL DEFAULT 0,
    "createdBySource" "company_createdBySource_enum" NOT NULL DEFAULT 'MANUAL',
    "createdByWorkspaceMemberId" uuid,
    "createdByName" text NOT NULL DEFAULT 'System',
    "createdByContext" jsonb,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);

CREATE TABLE person (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "nameFirstName" text NOT NULL DEFAULT '',
    "nameLastName" text NOT NULL DEFAULT '',
    "emailsPrimaryEmail" varchar NOT NULL DEFAULT '',
    "emailsAdditionalEmails" jsonb,
    "jobTitle" text NOT NULL DEFAULT '',
    city text NOT NULL DEFAULT '',
    "companyId" uuid REFERENCES company(id) ON DELETE SET NULL,
    position float8 NOT NULL DEFAULT 0,
    "createdBySource" "person_createdBySource_enum" NOT NULL DEFAULT 'MANUAL',
    "createdByWorkspaceMemberId" uuid,
    "createdByName" text NOT NULL DEFAULT 'System',
    "createdByContext" jsonb,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);

CREATE TABLE opportunity (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text,
    "amountAmountMicros" numeric,
    "amountCurrencyCode" text,
    "closeDate" timestamptz,
    stage opportunity_stage_enum NOT NULL DEFAULT 'NEW',
    position float8 NOT NULL DEFAULT 0,
    "createdBySource" "opportunity_createdBySource_enum" NOT NULL DEFAULT 'MANUAL',
    "createdByWorkspaceMemberId" uuid,
    "createdByName" text NOT NULL DEFAULT 'System',
    "createdByContext" jsonb,
    "updatedBySource" "opportunity_updatedBySource_enum" NOT NULL DEFAULT 'MANUAL',
    "updatedByWorkspaceMemberId" uuid,
    "updatedByName" text NOT NULL DEFAULT 'System',
    "updatedByContext" jsonb,
    "searchVector" tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(name, ''))) STORED,
    "pointOfContactId" uuid REFERENCES person(id) ON DELETE SET NULL,
    "companyId" uuid REFERENCES company(id) ON DELETE SET NULL,
    "ownerId" uuid REFERENCES "workspaceMember"(id) ON DELETE SET NULL,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);

CREATE TABLE task (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title text,
    "bodyV2Blocknote" text,
    "bodyV2Markdown" text,
    "dueAt" timestamptz,
    status task_status_enum DEFAULT 'TODO',
    "assigneeId" uuid REFERENCES "workspaceMember"(id) ON DELETE SET NULL,
    position float8 NOT NULL DEFAULT 0,
    "createdBySource" "task_createdBySource_enum" NOT NULL DEFAULT 'MANUAL',
    "createdByWorkspaceMemberId" uuid,
    "createdByName" text NOT NULL DEFAULT 'System',
    "createdByContext" jsonb,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);

CREATE TABLE note (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title text,
    "bodyV2Blocknote" text,
    "bodyV2Markdown" text,
    position float8 NOT NULL DEFAULT 0,
    "createdBySource" "note_createdBySource_enum" NOT NULL DEFAULT 'MANUAL',
    "createdByWorkspaceMemberId" uuid,
    "createdByName" text NOT NULL DEFAULT 'System',
    "createdByContext" jsonb,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);

CREATE TABLE "taskTarget" (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "taskId" uuid REFERENCES task(id) ON DELETE CASCADE,
    "targetPersonId" uuid REFERENCES person(id) ON DELETE CASCADE,
    "targetCompanyId" uuid REFERENCES company(id) ON DELETE CASCADE,
    "targetOpportunityId" uuid REFERENCES opportunity(id) ON DELETE CASCADE,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);

CREATE TABLE "noteTarget" (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "noteId" uuid REFERENCES note(id) ON DELETE CASCADE,
    "targetPersonId" uuid REFERENCES person(id) ON DELETE CASCADE,
    "targetCompanyId" uuid REFERENCES company(id) ON DELETE CASCADE,
    "targetOpportunityId" uuid REFERENCES opportunity(id) ON DELETE CASCADE,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);

CREATE TABLE "timelineActivity" (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "happensAt" timestamptz NOT NULL DEFAULT now(),
    name text,
    properties jsonb,
    "linkedRecordCachedName" text,
    "linkedRecordId" uuid,
    "linkedObjectMetadataId" uuid,
    "workspaceMemberId" uuid REFERENCES "workspaceMember"(id) ON DELETE CASCADE,
    "targetPersonId" uuid REFERENCES person(id) ON DELETE SET NULL,
    "targetCompanyId" uuid REFERENCES company(id) ON DELETE SET NULL,
    "targetOpportunityId" uuid REFERENCES opportunity(id) ON DELETE SET NULL,
    "targetNoteId" uuid REFERENCES note(id) ON DELETE SET NULL,
    "targetTaskId" uuid REFERENCES task(id) ON DELETE SET NULL,
    "targetWorkflowId" uuid,
    "targetWorkflowVersionId" uuid,
    "targetWorkflowRunId" uuid,
    "targetDashboardId" uuid,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE INDEX ON "timelineActivity" ("targetOpportunityId");

-- ---------- a 2024 workspace ----------
CREATE SCHEMA workspace_1p4o2l7d9x3c;
SET search_path = workspace_1p4o2l7d9x3c;

CREATE TYPE "opportunity_createdBySource_enum" AS ENUM ('EMAIL', 'CALENDAR', 'API', 'IMPORT', 'MANUAL', 'SYSTEM');
CREATE TYPE task_status_enum AS ENUM ('TODO', 'IN_PROGRESS', 'DONE');
CREATE TYPE opportunity_stage_enum AS ENUM ('NEW', 'SCREENING', 'MEETING', 'PROPOSAL', 'CUSTOMER');

CREATE TABLE "workspaceMember" (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "nameFirstName" text NOT NULL DEFAULT '',
    "nameLastName" text NOT NULL DEFAULT '',
    "userEmail" text,
    "userId" uuid NOT NULL,
    locale text NOT NULL DEFAULT 'en',
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE TABLE company (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text,
    "accountOwnerId" uuid REFERENCES "workspaceMember"(id) ON DELETE SET NULL,
    position float8,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE TABLE person (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "nameFirstName" text NOT NULL DEFAULT '',
    "nameLastName" text NOT NULL DEFAULT '',
    "companyId" uuid REFERENCES company(id) ON DELETE SET NULL,
    position float8,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE TABLE opportunity (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text,
    "amountAmountMicros" numeric,
    "amountCurrencyCode" text,
    "closeDate" timestamptz,
    stage opportunity_stage_enum NOT NULL DEFAULT 'NEW',
    probability text NOT NULL DEFAULT '0',
    position float8,
    "createdBySource" "opportunity_createdBySource_enum" NOT NULL DEFAULT 'MANUAL',
    "createdByWorkspaceMemberId" uuid,
    "createdByName" text NOT NULL DEFAULT 'System',
    "pointOfContactId" uuid REFERENCES person(id) ON DELETE SET NULL,
    "companyId" uuid REFERENCES company(id) ON DELETE SET NULL,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE TABLE task (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title text,
    body text,
    "dueAt" timestamptz,
    status task_status_enum DEFAULT 'TODO',
    "assigneeId" uuid REFERENCES "workspaceMember"(id) ON DELETE SET NULL,
    position float8,
    "createdByWorkspaceMemberId" uuid,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE TABLE note (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title text,
    body text,
    position float8,
    "createdByWorkspaceMemberId" uuid,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE TABLE "taskTarget" (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "taskId" uuid REFERENCES task(id) ON DELETE CASCADE,
    "personId" uuid REFERENCES person(id) ON DELETE CASCADE,
    "companyId" uuid REFERENCES company(id) ON DELETE CASCADE,
    "opportunityId" uuid REFERENCES opportunity(id) ON DELETE CASCADE,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE TABLE "noteTarget" (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "noteId" uuid REFERENCES note(id) ON DELETE CASCADE,
    "personId" uuid REFERENCES person(id) ON DELETE CASCADE,
    "companyId" uuid REFERENCES company(id) ON DELETE CASCADE,
    "opportunityId" uuid REFERENCES opportunity(id) ON DELETE CASCADE,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
CREATE TABLE "timelineActivity" (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "happensAt" timestamptz NOT NULL DEFAULT now(),
    name text,
    properties jsonb,
    "linkedRecordCachedName" text,
    "linkedRecordId" uuid,
    "linkedObjectMetadataId" uuid,
    "workspaceMemberId" uuid REFERENCES "workspaceMember"(id) ON DELETE CASCADE,
    "personId" uuid REFERENCES person(id) ON DELETE SET NULL,
    "companyId" uuid REFERENCES company(id) ON DELETE SET NULL,
    "opportunityId" uuid REFERENCES opportunity(id) ON DELETE SET NULL,
    "createdAt" timestamptz NOT NULL DEFAULT now(),
    "updatedAt" timestamptz NOT NULL DEFAULT now(),
    "deletedAt" timestamptz
);
RESET search_path;
