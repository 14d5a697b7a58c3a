--
-- PostgreSQL database dump
--

\restrict WkH71Ac1AvGhdgLhmW6SR98FYDleWCpI9XSiIkNaqeiv16RGu6QT1YJKjVgGPFL

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: board_quotes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.board_quotes (
    response_id integer NOT NULL,
    theme_id integer NOT NULL,
    picked_by character varying(254) NOT NULL,
    picked_at timestamp with time zone NOT NULL
);


--
-- Name: carry_on_codes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.carry_on_codes (
    code_hash character varying(64) NOT NULL,
    sender_secret text NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: consultations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.consultations (
    id integer NOT NULL,
    slug character varying(80) NOT NULL,
    title character varying(200) NOT NULL,
    summary text NOT NULL,
    ladder_rung character varying(20) NOT NULL,
    who_decides character varying(300) NOT NULL,
    opens_on date NOT NULL,
    closes_on date NOT NULL,
    feedback_due_on date NOT NULL,
    status character varying(20) NOT NULL,
    keywords json NOT NULL,
    content_fingerprint character varying(64),
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: consultations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.consultations_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: consultations_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.consultations_id_seq OWNED BY public.consultations.id;


--
-- Name: content_translations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.content_translations (
    id integer NOT NULL,
    consultation_id integer NOT NULL,
    language character varying(10) NOT NULL,
    field character varying(200) NOT NULL,
    text text NOT NULL
);


--
-- Name: content_translations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.content_translations_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: content_translations_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.content_translations_id_seq OWNED BY public.content_translations.id;


--
-- Name: conversation_states; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.conversation_states (
    participant_id character varying(64) NOT NULL,
    stage character varying(30) NOT NULL,
    consultation_id integer,
    question_id integer,
    pending_text text,
    return_stage character varying(30),
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: dropin_codes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.dropin_codes (
    id integer NOT NULL,
    label character varying(80) NOT NULL,
    code_hash character varying(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone
);


--
-- Name: dropin_codes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.dropin_codes_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: dropin_codes_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.dropin_codes_id_seq OWNED BY public.dropin_codes.id;


--
-- Name: follow_up_answers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.follow_up_answers (
    id integer NOT NULL,
    outcome_id integer NOT NULL,
    participant_id character varying(64) NOT NULL,
    answer character varying(10) NOT NULL,
    words text,
    words_asked boolean NOT NULL,
    answered_at timestamp with time zone NOT NULL
);


--
-- Name: follow_up_answers_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.follow_up_answers_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: follow_up_answers_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.follow_up_answers_id_seq OWNED BY public.follow_up_answers.id;


--
-- Name: language_offers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.language_offers (
    participant_id character varying(64) NOT NULL,
    language character varying(10) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: late_notices; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.late_notices (
    participant_id character varying(64) NOT NULL,
    consultation_id integer NOT NULL,
    told_at timestamp with time zone NOT NULL
);


--
-- Name: original_text_views; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.original_text_views (
    id integer NOT NULL,
    staff_email character varying(254) NOT NULL,
    response_id integer NOT NULL,
    consultation_id integer,
    seen_through character varying(20) NOT NULL,
    viewed_at timestamp with time zone NOT NULL
);


--
-- Name: original_text_views_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.original_text_views_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: original_text_views_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.original_text_views_id_seq OWNED BY public.original_text_views.id;


--
-- Name: outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outbox (
    id integer NOT NULL,
    channel character varying(30) NOT NULL,
    recipient character varying(64) NOT NULL,
    address text,
    method character varying(40) NOT NULL,
    body json NOT NULL,
    idempotency_key character varying(200) NOT NULL,
    status character varying(20) NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    last_error character varying(300),
    created_at timestamp with time zone NOT NULL,
    sent_at timestamp with time zone
);


--
-- Name: outbox_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.outbox_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: outbox_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.outbox_id_seq OWNED BY public.outbox.id;


--
-- Name: outcome_done; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outcome_done (
    outcome_id integer NOT NULL,
    done_on date NOT NULL,
    followed_up_at timestamp with time zone
);


--
-- Name: outcome_themes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outcome_themes (
    outcome_id integer NOT NULL,
    theme_id integer,
    "position" integer NOT NULL,
    label character varying(120) NOT NULL
);


--
-- Name: outcomes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outcomes (
    id integer NOT NULL,
    consultation_id integer NOT NULL,
    what_was_done text NOT NULL,
    status character varying(20) NOT NULL,
    reason text,
    decided_on date NOT NULL,
    translations json NOT NULL,
    published_at timestamp with time zone,
    published_by character varying(254),
    owed_count integer,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: outcomes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.outcomes_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: outcomes_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.outcomes_id_seq OWNED BY public.outcomes.id;


--
-- Name: participants; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.participants (
    id character varying(64) NOT NULL,
    channel character varying(30) NOT NULL,
    language character varying(10) NOT NULL,
    consent_take_part_at timestamp with time zone,
    consent_take_part_version character varying(20),
    consent_updates boolean NOT NULL,
    consent_updates_at timestamp with time zone,
    consent_updates_version character varying(20),
    created_at timestamp with time zone NOT NULL
);


--
-- Name: priority_invitations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.priority_invitations (
    consultation_id integer NOT NULL,
    participant_id character varying(64) NOT NULL,
    status character varying(20) NOT NULL,
    resume_stage character varying(30),
    invited_at timestamp with time zone NOT NULL,
    panel_joined boolean,
    panel_answered_at timestamp with time zone
);


--
-- Name: priority_panel_words; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.priority_panel_words (
    consultation_id integer NOT NULL,
    participant_id character varying(64) NOT NULL,
    panel_details text,
    panel_paid boolean NOT NULL
);


--
-- Name: priority_rounds; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.priority_rounds (
    consultation_id integer NOT NULL,
    panel_details text,
    panel_paid boolean NOT NULL,
    invited_count integer NOT NULL,
    started_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: priority_votes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.priority_votes (
    id integer NOT NULL,
    consultation_id integer NOT NULL,
    participant_id character varying(64) NOT NULL,
    theme_id integer,
    label character varying(120) NOT NULL,
    voted_at timestamp with time zone NOT NULL
);


--
-- Name: priority_votes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.priority_votes_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: priority_votes_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.priority_votes_id_seq OWNED BY public.priority_votes.id;


--
-- Name: questions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.questions (
    id integer NOT NULL,
    consultation_id integer NOT NULL,
    key character varying(80) NOT NULL,
    "position" integer NOT NULL,
    kind character varying(20) NOT NULL,
    prompt text NOT NULL,
    easy_read text,
    options json NOT NULL,
    required boolean NOT NULL,
    retired boolean NOT NULL
);


--
-- Name: questions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.questions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: questions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.questions_id_seq OWNED BY public.questions.id;


--
-- Name: response_redactions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.response_redactions (
    response_id integer NOT NULL,
    source_hash character varying(64) NOT NULL,
    text text NOT NULL
);


--
-- Name: responses; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.responses (
    id integer NOT NULL,
    participant_id character varying(64) NOT NULL,
    consultation_id integer,
    question_id integer,
    text text NOT NULL,
    value character varying(200),
    channel character varying(30) NOT NULL,
    assisted_by character varying(80),
    created_at timestamp with time zone NOT NULL,
    original_removed_at timestamp with time zone
);


--
-- Name: responses_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.responses_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: responses_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.responses_id_seq OWNED BY public.responses.id;


--
-- Name: safeguarding_alerts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.safeguarding_alerts (
    id integer NOT NULL,
    participant_id character varying(64),
    consultation_id integer,
    category character varying(30) NOT NULL,
    channel character varying(30) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    notified_at timestamp with time zone,
    handled_at timestamp with time zone,
    handled_by character varying(254)
);


--
-- Name: safeguarding_alerts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.safeguarding_alerts_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: safeguarding_alerts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.safeguarding_alerts_id_seq OWNED BY public.safeguarding_alerts.id;


--
-- Name: staff_accounts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.staff_accounts (
    id integer NOT NULL,
    email character varying(254) NOT NULL,
    password_hash character varying(200) NOT NULL,
    role character varying(20) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: staff_accounts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.staff_accounts_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: staff_accounts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.staff_accounts_id_seq OWNED BY public.staff_accounts.id;


--
-- Name: staff_api_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.staff_api_tokens (
    id integer NOT NULL,
    account_id integer NOT NULL,
    token_hash character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    last_used_at timestamp with time zone
);


--
-- Name: staff_api_tokens_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.staff_api_tokens_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: staff_api_tokens_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.staff_api_tokens_id_seq OWNED BY public.staff_api_tokens.id;


--
-- Name: staff_login_attempts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.staff_login_attempts (
    id integer NOT NULL,
    email character varying(254) NOT NULL,
    ip_address character varying(64) NOT NULL,
    succeeded boolean NOT NULL,
    attempted_at timestamp with time zone NOT NULL
);


--
-- Name: staff_login_attempts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.staff_login_attempts_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: staff_login_attempts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.staff_login_attempts_id_seq OWNED BY public.staff_login_attempts.id;


--
-- Name: staff_sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.staff_sessions (
    id_hash character varying(64) NOT NULL,
    account_id integer NOT NULL,
    csrf_token character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: telegram_addresses; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.telegram_addresses (
    participant_id character varying(64) NOT NULL,
    chat text NOT NULL,
    unreachable_at timestamp with time zone,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: telegram_callbacks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.telegram_callbacks (
    token character varying(32) NOT NULL,
    payload text NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: telegram_keyboards; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.telegram_keyboards (
    recipient character varying(64) NOT NULL,
    message_id bigint NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: telegram_updates; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.telegram_updates (
    update_id bigint NOT NULL,
    status character varying(20) NOT NULL,
    payload text,
    received_at timestamp with time zone NOT NULL,
    handled_at timestamp with time zone
);


--
-- Name: theme_memberships; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.theme_memberships (
    response_id integer NOT NULL,
    theme_id integer NOT NULL,
    placed_by character varying(10) NOT NULL,
    quote_rank integer
);


--
-- Name: themes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.themes (
    id integer NOT NULL,
    consultation_id integer NOT NULL,
    question_id integer NOT NULL,
    label character varying(120) NOT NULL,
    status character varying(20) NOT NULL,
    staff_named boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: themes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.themes_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: themes_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.themes_id_seq OWNED BY public.themes.id;


--
-- Name: tracker_erasures; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tracker_erasures (
    id integer NOT NULL,
    sender_encrypted text NOT NULL,
    requested_at timestamp with time zone NOT NULL
);


--
-- Name: tracker_erasures_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.tracker_erasures_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: tracker_erasures_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.tracker_erasures_id_seq OWNED BY public.tracker_erasures.id;


--
-- Name: voice_notes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.voice_notes (
    id integer NOT NULL,
    participant_id character varying(64) NOT NULL,
    response_id integer,
    mime_type character varying(60) NOT NULL,
    duration_seconds integer,
    audio bytea NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: voice_notes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.voice_notes_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: voice_notes_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.voice_notes_id_seq OWNED BY public.voice_notes.id;


--
-- Name: consultations id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consultations ALTER COLUMN id SET DEFAULT nextval('public.consultations_id_seq'::regclass);


--
-- Name: content_translations id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.content_translations ALTER COLUMN id SET DEFAULT nextval('public.content_translations_id_seq'::regclass);


--
-- Name: dropin_codes id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.dropin_codes ALTER COLUMN id SET DEFAULT nextval('public.dropin_codes_id_seq'::regclass);


--
-- Name: follow_up_answers id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follow_up_answers ALTER COLUMN id SET DEFAULT nextval('public.follow_up_answers_id_seq'::regclass);


--
-- Name: original_text_views id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.original_text_views ALTER COLUMN id SET DEFAULT nextval('public.original_text_views_id_seq'::regclass);


--
-- Name: outbox id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox ALTER COLUMN id SET DEFAULT nextval('public.outbox_id_seq'::regclass);


--
-- Name: outcomes id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outcomes ALTER COLUMN id SET DEFAULT nextval('public.outcomes_id_seq'::regclass);


--
-- Name: priority_votes id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_votes ALTER COLUMN id SET DEFAULT nextval('public.priority_votes_id_seq'::regclass);


--
-- Name: questions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.questions ALTER COLUMN id SET DEFAULT nextval('public.questions_id_seq'::regclass);


--
-- Name: responses id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.responses ALTER COLUMN id SET DEFAULT nextval('public.responses_id_seq'::regclass);


--
-- Name: safeguarding_alerts id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.safeguarding_alerts ALTER COLUMN id SET DEFAULT nextval('public.safeguarding_alerts_id_seq'::regclass);


--
-- Name: staff_accounts id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_accounts ALTER COLUMN id SET DEFAULT nextval('public.staff_accounts_id_seq'::regclass);


--
-- Name: staff_api_tokens id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_api_tokens ALTER COLUMN id SET DEFAULT nextval('public.staff_api_tokens_id_seq'::regclass);


--
-- Name: staff_login_attempts id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_login_attempts ALTER COLUMN id SET DEFAULT nextval('public.staff_login_attempts_id_seq'::regclass);


--
-- Name: themes id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.themes ALTER COLUMN id SET DEFAULT nextval('public.themes_id_seq'::regclass);


--
-- Name: tracker_erasures id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tracker_erasures ALTER COLUMN id SET DEFAULT nextval('public.tracker_erasures_id_seq'::regclass);


--
-- Name: voice_notes id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.voice_notes ALTER COLUMN id SET DEFAULT nextval('public.voice_notes_id_seq'::regclass);


--
-- Data for Name: board_quotes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.board_quotes (response_id, theme_id, picked_by, picked_at) FROM stdin;
1	1	sam@example.org	2026-12-01 09:30:00+00
\.


--
-- Data for Name: carry_on_codes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.carry_on_codes (code_hash, sender_secret, expires_at) FROM stdin;
kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk	gAAAA-encrypted	2026-12-01 09:30:00+00
\.


--
-- Data for Name: consultations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.consultations (id, slug, title, summary, ladder_rung, who_decides, opens_on, closes_on, feedback_due_on, status, keywords, content_fingerprint, updated_at) FROM stdin;
1	food	Food at the hostel	What you eat.	consultation	The hostel manager	2026-11-01	2026-12-31	2027-01-31	open	["food", "dinner"]	ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff	2026-12-01 09:30:00+00
\.


--
-- Data for Name: content_translations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.content_translations (id, consultation_id, language, field, text) FROM stdin;
1	1	pl	title	Jedzenie w hostelu
\.


--
-- Data for Name: conversation_states; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.conversation_states (participant_id, stage, consultation_id, question_id, pending_text, return_stage, updated_at) FROM stdin;
aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	question	1	1	\N	\N	2026-12-01 09:30:00+00
\.


--
-- Data for Name: dropin_codes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.dropin_codes (id, label, code_hash, created_at, revoked_at) FROM stdin;
1	outreach van	$argon2id$y	2026-12-01 09:30:00+00	\N
\.


--
-- Data for Name: follow_up_answers; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.follow_up_answers (id, outcome_id, participant_id, answer, words, words_asked, answered_at) FROM stdin;
1	1	aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	a_bit	Lepiej, ale nie zawsze	f	2026-12-01 09:30:00+00
\.


--
-- Data for Name: language_offers; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.language_offers (participant_id, language, created_at) FROM stdin;
aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	pl	2026-12-01 09:30:00+00
\.


--
-- Data for Name: late_notices; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.late_notices (participant_id, consultation_id, told_at) FROM stdin;
aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	1	2026-12-01 09:30:00+00
\.


--
-- Data for Name: original_text_views; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.original_text_views (id, staff_email, response_id, consultation_id, seen_through, viewed_at) FROM stdin;
1	sam@example.org	1	1	page	2026-12-01 09:30:00+00
\.


--
-- Data for Name: outbox; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.outbox (id, channel, recipient, address, method, body, idempotency_key, status, attempts, next_attempt_at, last_error, created_at, sent_at) FROM stdin;
1	telegram	aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	\N	sendMessage	{"text": "Dzi\\u0119kujemy", "buttons": []}	outcome:1:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	queued	2	2026-12-01 09:30:00+00	429 Too Many Requests	2026-12-01 09:30:00+00	\N
\.


--
-- Data for Name: outcome_done; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.outcome_done (outcome_id, done_on, followed_up_at) FROM stdin;
1	2026-12-03	\N
\.


--
-- Data for Name: outcome_themes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.outcome_themes (outcome_id, theme_id, "position", label) FROM stdin;
1	1	0	Cold food
\.


--
-- Data for Name: outcomes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.outcomes (id, consultation_id, what_was_done, status, reason, decided_on, translations, published_at, published_by, owed_count, created_at, updated_at) FROM stdin;
1	1	Hot dinners every day.	done	\N	2026-12-02	{"pl": {"what_was_done": "Ciep\\u0142e obiady."}}	2026-12-01 09:30:00+00	sam@example.org	1	2026-12-01 09:30:00+00	2026-12-01 09:30:00+00
\.


--
-- Data for Name: participants; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.participants (id, channel, language, consent_take_part_at, consent_take_part_version, consent_updates, consent_updates_at, consent_updates_version, created_at) FROM stdin;
aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	rest	pl	2026-12-01 09:30:00+00	2026-11	t	2026-12-01 09:30:00+00	2026-11	2026-12-01 09:30:00+00
\.


--
-- Data for Name: priority_invitations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.priority_invitations (consultation_id, participant_id, status, resume_stage, invited_at, panel_joined, panel_answered_at) FROM stdin;
1	aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	voted	done	2026-12-01 09:30:00+00	t	2026-12-01 09:30:00+00
\.


--
-- Data for Name: priority_panel_words; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.priority_panel_words (consultation_id, participant_id, panel_details, panel_paid) FROM stdin;
1	aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	\N	f
\.


--
-- Data for Name: priority_rounds; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.priority_rounds (consultation_id, panel_details, panel_paid, invited_count, started_at, updated_at) FROM stdin;
1	Four meetings a year	t	1	2026-12-01 09:30:00+00	2026-12-01 09:30:00+00
\.


--
-- Data for Name: priority_votes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.priority_votes (id, consultation_id, participant_id, theme_id, label, voted_at) FROM stdin;
1	1	aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	1	Cold food	2026-12-01 09:30:00+00
\.


--
-- Data for Name: questions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.questions (id, consultation_id, key, "position", kind, prompt, easy_read, options, required, retired) FROM stdin;
1	1	food-now	1	choice	How is the food now?	Is the food good?	["Bad", "OK", "Good"]	t	f
\.


--
-- Data for Name: response_redactions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.response_redactions (response_id, source_hash, text) FROM stdin;
1	hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh	Zimne jedzenie, my name is [name]
\.


--
-- Data for Name: responses; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.responses (id, participant_id, consultation_id, question_id, text, value, channel, assisted_by, created_at, original_removed_at) FROM stdin;
1	aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	1	1	Zimne jedzenie, my name is Jo	Bad	rest	outreach van	2026-12-01 09:30:00+00	\N
\.


--
-- Data for Name: safeguarding_alerts; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.safeguarding_alerts (id, participant_id, consultation_id, category, channel, created_at, notified_at, handled_at, handled_by) FROM stdin;
1	\N	1	self_harm	rest	2026-12-01 09:30:00+00	2026-12-01 09:30:00+00	\N	\N
\.


--
-- Data for Name: staff_accounts; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.staff_accounts (id, email, password_hash, role, created_at) FROM stdin;
1	sam@example.org	$argon2id$x	admin	2026-12-01 09:30:00+00
\.


--
-- Data for Name: staff_api_tokens; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.staff_api_tokens (id, account_id, token_hash, created_at, last_used_at) FROM stdin;
1	1	tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt	2026-12-01 09:30:00+00	\N
\.


--
-- Data for Name: staff_login_attempts; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.staff_login_attempts (id, email, ip_address, succeeded, attempted_at) FROM stdin;
1	sam@example.org	127.0.0.1	t	2026-12-01 09:30:00+00
\.


--
-- Data for Name: staff_sessions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.staff_sessions (id_hash, account_id, csrf_token, created_at, expires_at) FROM stdin;
ssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss	1	cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc	2026-12-01 09:30:00+00	2026-12-01 09:30:00+00
\.


--
-- Data for Name: telegram_addresses; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.telegram_addresses (participant_id, chat, unreachable_at, updated_at) FROM stdin;
aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	gAAAA-chat	\N	2026-12-01 09:30:00+00
\.


--
-- Data for Name: telegram_callbacks; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.telegram_callbacks (token, payload, created_at) FROM stdin;
cb1	/choose{"x": 1}	2026-12-01 09:30:00+00
\.


--
-- Data for Name: telegram_keyboards; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.telegram_keyboards (recipient, message_id, updated_at) FROM stdin;
aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	4000000000	2026-12-01 09:30:00+00
\.


--
-- Data for Name: telegram_updates; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.telegram_updates (update_id, status, payload, received_at, handled_at) FROM stdin;
9000000001	handled	\N	2026-12-01 09:30:00+00	2026-12-01 09:30:00+00
\.


--
-- Data for Name: theme_memberships; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.theme_memberships (response_id, theme_id, placed_by, quote_rank) FROM stdin;
1	1	staff	1
\.


--
-- Data for Name: themes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.themes (id, consultation_id, question_id, label, status, staff_named, created_at, updated_at) FROM stdin;
1	1	1	Cold food	published	t	2026-12-01 09:30:00+00	2026-12-01 09:30:00+00
\.


--
-- Data for Name: tracker_erasures; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.tracker_erasures (id, sender_encrypted, requested_at) FROM stdin;
1	gAAAA-sender	2026-12-01 09:30:00+00
\.


--
-- Data for Name: voice_notes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.voice_notes (id, participant_id, response_id, mime_type, duration_seconds, audio, created_at) FROM stdin;
1	aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	1	audio/ogg	3	\\x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff	2026-12-01 09:30:00+00
\.


--
-- Name: consultations_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.consultations_id_seq', 1, false);


--
-- Name: content_translations_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.content_translations_id_seq', 1, false);


--
-- Name: dropin_codes_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.dropin_codes_id_seq', 1, false);


--
-- Name: follow_up_answers_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.follow_up_answers_id_seq', 1, false);


--
-- Name: original_text_views_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.original_text_views_id_seq', 1, false);


--
-- Name: outbox_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.outbox_id_seq', 1, false);


--
-- Name: outcomes_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.outcomes_id_seq', 1, false);


--
-- Name: priority_votes_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.priority_votes_id_seq', 1, false);


--
-- Name: questions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.questions_id_seq', 1, false);


--
-- Name: responses_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.responses_id_seq', 1, false);


--
-- Name: safeguarding_alerts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.safeguarding_alerts_id_seq', 1, false);


--
-- Name: staff_accounts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.staff_accounts_id_seq', 1, false);


--
-- Name: staff_api_tokens_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.staff_api_tokens_id_seq', 1, false);


--
-- Name: staff_login_attempts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.staff_login_attempts_id_seq', 1, false);


--
-- Name: themes_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.themes_id_seq', 1, false);


--
-- Name: tracker_erasures_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.tracker_erasures_id_seq', 1, false);


--
-- Name: voice_notes_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.voice_notes_id_seq', 1, false);


--
-- Name: board_quotes board_quotes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.board_quotes
    ADD CONSTRAINT board_quotes_pkey PRIMARY KEY (response_id);


--
-- Name: carry_on_codes carry_on_codes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.carry_on_codes
    ADD CONSTRAINT carry_on_codes_pkey PRIMARY KEY (code_hash);


--
-- Name: consultations consultations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consultations
    ADD CONSTRAINT consultations_pkey PRIMARY KEY (id);


--
-- Name: consultations consultations_slug_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consultations
    ADD CONSTRAINT consultations_slug_key UNIQUE (slug);


--
-- Name: content_translations content_translations_consultation_id_language_field_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.content_translations
    ADD CONSTRAINT content_translations_consultation_id_language_field_key UNIQUE (consultation_id, language, field);


--
-- Name: content_translations content_translations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.content_translations
    ADD CONSTRAINT content_translations_pkey PRIMARY KEY (id);


--
-- Name: conversation_states conversation_states_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.conversation_states
    ADD CONSTRAINT conversation_states_pkey PRIMARY KEY (participant_id);


--
-- Name: dropin_codes dropin_codes_label_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.dropin_codes
    ADD CONSTRAINT dropin_codes_label_key UNIQUE (label);


--
-- Name: dropin_codes dropin_codes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.dropin_codes
    ADD CONSTRAINT dropin_codes_pkey PRIMARY KEY (id);


--
-- Name: follow_up_answers follow_up_answers_outcome_id_participant_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follow_up_answers
    ADD CONSTRAINT follow_up_answers_outcome_id_participant_id_key UNIQUE (outcome_id, participant_id);


--
-- Name: follow_up_answers follow_up_answers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follow_up_answers
    ADD CONSTRAINT follow_up_answers_pkey PRIMARY KEY (id);


--
-- Name: language_offers language_offers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.language_offers
    ADD CONSTRAINT language_offers_pkey PRIMARY KEY (participant_id);


--
-- Name: late_notices late_notices_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.late_notices
    ADD CONSTRAINT late_notices_pkey PRIMARY KEY (participant_id, consultation_id);


--
-- Name: original_text_views original_text_views_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.original_text_views
    ADD CONSTRAINT original_text_views_pkey PRIMARY KEY (id);


--
-- Name: outbox outbox_idempotency_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_idempotency_key_key UNIQUE (idempotency_key);


--
-- Name: outbox outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (id);


--
-- Name: outcome_done outcome_done_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outcome_done
    ADD CONSTRAINT outcome_done_pkey PRIMARY KEY (outcome_id);


--
-- Name: outcome_themes outcome_themes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outcome_themes
    ADD CONSTRAINT outcome_themes_pkey PRIMARY KEY (outcome_id, "position");


--
-- Name: outcomes outcomes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outcomes
    ADD CONSTRAINT outcomes_pkey PRIMARY KEY (id);


--
-- Name: participants participants_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.participants
    ADD CONSTRAINT participants_pkey PRIMARY KEY (id);


--
-- Name: priority_invitations priority_invitations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_invitations
    ADD CONSTRAINT priority_invitations_pkey PRIMARY KEY (consultation_id, participant_id);


--
-- Name: priority_panel_words priority_panel_words_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_panel_words
    ADD CONSTRAINT priority_panel_words_pkey PRIMARY KEY (consultation_id, participant_id);


--
-- Name: priority_rounds priority_rounds_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_rounds
    ADD CONSTRAINT priority_rounds_pkey PRIMARY KEY (consultation_id);


--
-- Name: priority_votes priority_votes_participant_id_consultation_id_label_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_votes
    ADD CONSTRAINT priority_votes_participant_id_consultation_id_label_key UNIQUE (participant_id, consultation_id, label);


--
-- Name: priority_votes priority_votes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_votes
    ADD CONSTRAINT priority_votes_pkey PRIMARY KEY (id);


--
-- Name: questions questions_consultation_id_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.questions
    ADD CONSTRAINT questions_consultation_id_key_key UNIQUE (consultation_id, key);


--
-- Name: questions questions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.questions
    ADD CONSTRAINT questions_pkey PRIMARY KEY (id);


--
-- Name: response_redactions response_redactions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.response_redactions
    ADD CONSTRAINT response_redactions_pkey PRIMARY KEY (response_id);


--
-- Name: responses responses_participant_id_question_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.responses
    ADD CONSTRAINT responses_participant_id_question_id_key UNIQUE (participant_id, question_id);


--
-- Name: responses responses_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.responses
    ADD CONSTRAINT responses_pkey PRIMARY KEY (id);


--
-- Name: safeguarding_alerts safeguarding_alerts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.safeguarding_alerts
    ADD CONSTRAINT safeguarding_alerts_pkey PRIMARY KEY (id);


--
-- Name: staff_accounts staff_accounts_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_accounts
    ADD CONSTRAINT staff_accounts_email_key UNIQUE (email);


--
-- Name: staff_accounts staff_accounts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_accounts
    ADD CONSTRAINT staff_accounts_pkey PRIMARY KEY (id);


--
-- Name: staff_api_tokens staff_api_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_api_tokens
    ADD CONSTRAINT staff_api_tokens_pkey PRIMARY KEY (id);


--
-- Name: staff_api_tokens staff_api_tokens_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_api_tokens
    ADD CONSTRAINT staff_api_tokens_token_hash_key UNIQUE (token_hash);


--
-- Name: staff_login_attempts staff_login_attempts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_login_attempts
    ADD CONSTRAINT staff_login_attempts_pkey PRIMARY KEY (id);


--
-- Name: staff_sessions staff_sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_sessions
    ADD CONSTRAINT staff_sessions_pkey PRIMARY KEY (id_hash);


--
-- Name: telegram_addresses telegram_addresses_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.telegram_addresses
    ADD CONSTRAINT telegram_addresses_pkey PRIMARY KEY (participant_id);


--
-- Name: telegram_callbacks telegram_callbacks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.telegram_callbacks
    ADD CONSTRAINT telegram_callbacks_pkey PRIMARY KEY (token);


--
-- Name: telegram_keyboards telegram_keyboards_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.telegram_keyboards
    ADD CONSTRAINT telegram_keyboards_pkey PRIMARY KEY (recipient);


--
-- Name: telegram_updates telegram_updates_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.telegram_updates
    ADD CONSTRAINT telegram_updates_pkey PRIMARY KEY (update_id);


--
-- Name: theme_memberships theme_memberships_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.theme_memberships
    ADD CONSTRAINT theme_memberships_pkey PRIMARY KEY (response_id);


--
-- Name: themes themes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.themes
    ADD CONSTRAINT themes_pkey PRIMARY KEY (id);


--
-- Name: tracker_erasures tracker_erasures_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tracker_erasures
    ADD CONSTRAINT tracker_erasures_pkey PRIMARY KEY (id);


--
-- Name: voice_notes voice_notes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.voice_notes
    ADD CONSTRAINT voice_notes_pkey PRIMARY KEY (id);


--
-- Name: ix_board_quotes_theme_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_board_quotes_theme_id ON public.board_quotes USING btree (theme_id);


--
-- Name: ix_carry_on_codes_expires_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_carry_on_codes_expires_at ON public.carry_on_codes USING btree (expires_at);


--
-- Name: ix_follow_up_answers_outcome_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_follow_up_answers_outcome_id ON public.follow_up_answers USING btree (outcome_id);


--
-- Name: ix_follow_up_answers_participant_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_follow_up_answers_participant_id ON public.follow_up_answers USING btree (participant_id);


--
-- Name: ix_late_notices_consultation_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_late_notices_consultation_id ON public.late_notices USING btree (consultation_id);


--
-- Name: ix_outbox_next_attempt_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outbox_next_attempt_at ON public.outbox USING btree (next_attempt_at);


--
-- Name: ix_outbox_recipient; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outbox_recipient ON public.outbox USING btree (recipient);


--
-- Name: ix_outbox_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outbox_status ON public.outbox USING btree (status);


--
-- Name: ix_outcomes_consultation_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outcomes_consultation_id ON public.outcomes USING btree (consultation_id);


--
-- Name: ix_priority_votes_consultation_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_priority_votes_consultation_id ON public.priority_votes USING btree (consultation_id);


--
-- Name: ix_priority_votes_participant_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_priority_votes_participant_id ON public.priority_votes USING btree (participant_id);


--
-- Name: ix_safeguarding_alerts_participant_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_safeguarding_alerts_participant_id ON public.safeguarding_alerts USING btree (participant_id);


--
-- Name: ix_staff_login_attempts_attempted_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_staff_login_attempts_attempted_at ON public.staff_login_attempts USING btree (attempted_at);


--
-- Name: ix_staff_login_attempts_email; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_staff_login_attempts_email ON public.staff_login_attempts USING btree (email);


--
-- Name: ix_staff_login_attempts_ip_address; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_staff_login_attempts_ip_address ON public.staff_login_attempts USING btree (ip_address);


--
-- Name: ix_telegram_updates_received_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_telegram_updates_received_at ON public.telegram_updates USING btree (received_at);


--
-- Name: ix_telegram_updates_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_telegram_updates_status ON public.telegram_updates USING btree (status);


--
-- Name: ix_theme_memberships_theme_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_theme_memberships_theme_id ON public.theme_memberships USING btree (theme_id);


--
-- Name: ix_themes_question_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_themes_question_id ON public.themes USING btree (question_id);


--
-- Name: ix_voice_notes_created_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_voice_notes_created_at ON public.voice_notes USING btree (created_at);


--
-- Name: ix_voice_notes_participant_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_voice_notes_participant_id ON public.voice_notes USING btree (participant_id);


--
-- Name: ix_voice_notes_response_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_voice_notes_response_id ON public.voice_notes USING btree (response_id);


--
-- Name: board_quotes board_quotes_response_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.board_quotes
    ADD CONSTRAINT board_quotes_response_id_fkey FOREIGN KEY (response_id) REFERENCES public.responses(id) ON DELETE CASCADE;


--
-- Name: board_quotes board_quotes_theme_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.board_quotes
    ADD CONSTRAINT board_quotes_theme_id_fkey FOREIGN KEY (theme_id) REFERENCES public.themes(id) ON DELETE CASCADE;


--
-- Name: content_translations content_translations_consultation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.content_translations
    ADD CONSTRAINT content_translations_consultation_id_fkey FOREIGN KEY (consultation_id) REFERENCES public.consultations(id) ON DELETE CASCADE;


--
-- Name: conversation_states conversation_states_consultation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.conversation_states
    ADD CONSTRAINT conversation_states_consultation_id_fkey FOREIGN KEY (consultation_id) REFERENCES public.consultations(id) ON DELETE SET NULL;


--
-- Name: conversation_states conversation_states_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.conversation_states
    ADD CONSTRAINT conversation_states_participant_id_fkey FOREIGN KEY (participant_id) REFERENCES public.participants(id) ON DELETE CASCADE;


--
-- Name: conversation_states conversation_states_question_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.conversation_states
    ADD CONSTRAINT conversation_states_question_id_fkey FOREIGN KEY (question_id) REFERENCES public.questions(id) ON DELETE SET NULL;


--
-- Name: follow_up_answers follow_up_answers_outcome_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follow_up_answers
    ADD CONSTRAINT follow_up_answers_outcome_id_fkey FOREIGN KEY (outcome_id) REFERENCES public.outcomes(id) ON DELETE CASCADE;


--
-- Name: follow_up_answers follow_up_answers_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follow_up_answers
    ADD CONSTRAINT follow_up_answers_participant_id_fkey FOREIGN KEY (participant_id) REFERENCES public.participants(id) ON DELETE CASCADE;


--
-- Name: language_offers language_offers_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.language_offers
    ADD CONSTRAINT language_offers_participant_id_fkey FOREIGN KEY (participant_id) REFERENCES public.participants(id) ON DELETE CASCADE;


--
-- Name: late_notices late_notices_consultation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.late_notices
    ADD CONSTRAINT late_notices_consultation_id_fkey FOREIGN KEY (consultation_id) REFERENCES public.consultations(id) ON DELETE CASCADE;


--
-- Name: late_notices late_notices_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.late_notices
    ADD CONSTRAINT late_notices_participant_id_fkey FOREIGN KEY (participant_id) REFERENCES public.participants(id) ON DELETE CASCADE;


--
-- Name: outcome_done outcome_done_outcome_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outcome_done
    ADD CONSTRAINT outcome_done_outcome_id_fkey FOREIGN KEY (outcome_id) REFERENCES public.outcomes(id) ON DELETE CASCADE;


--
-- Name: outcome_themes outcome_themes_outcome_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outcome_themes
    ADD CONSTRAINT outcome_themes_outcome_id_fkey FOREIGN KEY (outcome_id) REFERENCES public.outcomes(id) ON DELETE CASCADE;


--
-- Name: outcome_themes outcome_themes_theme_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outcome_themes
    ADD CONSTRAINT outcome_themes_theme_id_fkey FOREIGN KEY (theme_id) REFERENCES public.themes(id) ON DELETE SET NULL;


--
-- Name: outcomes outcomes_consultation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outcomes
    ADD CONSTRAINT outcomes_consultation_id_fkey FOREIGN KEY (consultation_id) REFERENCES public.consultations(id) ON DELETE CASCADE;


--
-- Name: priority_invitations priority_invitations_consultation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_invitations
    ADD CONSTRAINT priority_invitations_consultation_id_fkey FOREIGN KEY (consultation_id) REFERENCES public.consultations(id) ON DELETE CASCADE;


--
-- Name: priority_invitations priority_invitations_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_invitations
    ADD CONSTRAINT priority_invitations_participant_id_fkey FOREIGN KEY (participant_id) REFERENCES public.participants(id) ON DELETE CASCADE;


--
-- Name: priority_panel_words priority_panel_words_consultation_id_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_panel_words
    ADD CONSTRAINT priority_panel_words_consultation_id_participant_id_fkey FOREIGN KEY (consultation_id, participant_id) REFERENCES public.priority_invitations(consultation_id, participant_id) ON DELETE CASCADE;


--
-- Name: priority_rounds priority_rounds_consultation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_rounds
    ADD CONSTRAINT priority_rounds_consultation_id_fkey FOREIGN KEY (consultation_id) REFERENCES public.consultations(id) ON DELETE CASCADE;


--
-- Name: priority_votes priority_votes_consultation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_votes
    ADD CONSTRAINT priority_votes_consultation_id_fkey FOREIGN KEY (consultation_id) REFERENCES public.consultations(id) ON DELETE CASCADE;


--
-- Name: priority_votes priority_votes_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_votes
    ADD CONSTRAINT priority_votes_participant_id_fkey FOREIGN KEY (participant_id) REFERENCES public.participants(id) ON DELETE CASCADE;


--
-- Name: priority_votes priority_votes_theme_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_votes
    ADD CONSTRAINT priority_votes_theme_id_fkey FOREIGN KEY (theme_id) REFERENCES public.themes(id) ON DELETE SET NULL;


--
-- Name: questions questions_consultation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.questions
    ADD CONSTRAINT questions_consultation_id_fkey FOREIGN KEY (consultation_id) REFERENCES public.consultations(id) ON DELETE CASCADE;


--
-- Name: response_redactions response_redactions_response_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.response_redactions
    ADD CONSTRAINT response_redactions_response_id_fkey FOREIGN KEY (response_id) REFERENCES public.responses(id) ON DELETE CASCADE;


--
-- Name: responses responses_consultation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.responses
    ADD CONSTRAINT responses_consultation_id_fkey FOREIGN KEY (consultation_id) REFERENCES public.consultations(id) ON DELETE CASCADE;


--
-- Name: responses responses_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.responses
    ADD CONSTRAINT responses_participant_id_fkey FOREIGN KEY (participant_id) REFERENCES public.participants(id) ON DELETE CASCADE;


--
-- Name: responses responses_question_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.responses
    ADD CONSTRAINT responses_question_id_fkey FOREIGN KEY (question_id) REFERENCES public.questions(id) ON DELETE CASCADE;


--
-- Name: safeguarding_alerts safeguarding_alerts_consultation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.safeguarding_alerts
    ADD CONSTRAINT safeguarding_alerts_consultation_id_fkey FOREIGN KEY (consultation_id) REFERENCES public.consultations(id) ON DELETE SET NULL;


--
-- Name: staff_api_tokens staff_api_tokens_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_api_tokens
    ADD CONSTRAINT staff_api_tokens_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.staff_accounts(id) ON DELETE CASCADE;


--
-- Name: staff_sessions staff_sessions_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_sessions
    ADD CONSTRAINT staff_sessions_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.staff_accounts(id) ON DELETE CASCADE;


--
-- Name: telegram_addresses telegram_addresses_participant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.telegram_addresses
    ADD CONSTRAINT telegram_addresses_participant_id_fkey FOREIGN KEY (participant_id) REFERENCES public.participants(id) ON DELETE CASCADE;


--
-- Name: theme_memberships theme_memberships_response_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.theme_memberships
    ADD CONSTRAINT theme_memberships_response_id_fkey FOREIGN KEY (response_id) REFERENCES public.responses(id) ON DELETE CASCADE;


--
-- Name: theme_memberships theme_memberships_theme_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.theme_memberships
    ADD CONSTRAINT theme_memberships_theme_id_fkey FOREIGN KEY (theme_id) REFERENCES public.themes(id) ON DELETE CASCADE;


--
-- Name: themes themes_consultation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.themes
    ADD CONSTRAINT themes_consultation_id_fkey FOREIGN KEY (consultation_id) REFERENCES public.consultations(id) ON DELETE CASCADE;


--
-- Name: themes themes_question_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.themes
    ADD CONSTRAINT themes_question_id_fkey FOREIGN KEY (question_id) REFERENCES public.questions(id) ON DELETE CASCADE;


--
-- Name: voice_notes voice_notes_response_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.voice_notes
    ADD CONSTRAINT voice_notes_response_id_fkey FOREIGN KEY (response_id) REFERENCES public.responses(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict WkH71Ac1AvGhdgLhmW6SR98FYDleWCpI9XSiIkNaqeiv16RGu6QT1YJKjVgGPFL

