// Draft autosave: every form with data-autosave="<key>" saves its fields to the user's draft
// (PUT /api/v1/drafts/<key>) a second after typing stops, when the page is hidden or left, and
// as soon as the session time-out warning opens, so a timed-out session loses nothing.
//
// Until the server has a draft, the browser keeps it too: each change is copied at once into
// sessionStorage (this tab only, gone when the tab closes; never localStorage, which a shared
// computer would keep), and the copy is removed as soon as the server has acknowledged those
// exact fields. A form that opens with a copy still in the tab (after signing in again, or a
// reload) gets it back, with a notice.
//
// Save first checks the session by saving the draft: when the session has ended, the form is not
// sent (the server would refuse it and the page would be left), the typed text stays in the form
// and in the tab, and the user is told to sign in again, which brings them back to this form.
//
// A form with data-autosave-per-tab (a new record's form) is drafted under its key plus this
// tab's id, so two tabs on the same new form keep their own drafts. Every form sends its draft's
// key with it (_draftKey), so that saving the record discards that draft (web/common/drafts.ts).
// With data-autosave-restore, the form's draft (the tab's copy, else the server's) is put back
// into the form when it opens, with a notice offering to discard it; not when the page shows
// errors (it then holds what was just sent) or already says it restored one.
// A successful save tells app.js (event together:activity) that the session was extended.

const DEBOUNCE_MS = 1000
const LOCAL_PREFIX = 'together.draft:'
const TAB_ITEM = 'together.tab'
const body = document.body
const csrf = body.dataset.csrfToken
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })

const storage = (() => {
  try {
    return window.sessionStorage
  } catch {
    return null
  }
})()

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** This tab's id, kept for the tab's life (sessionStorage is per tab). */
function tabId() {
  let id = storage?.getItem(TAB_ITEM)
  if (!id) {
    id = uuid()
    storage?.setItem(TAB_ITEM, id)
  }
  return id
}

const local = {
  get(key) {
    try {
      return JSON.parse(storage?.getItem(LOCAL_PREFIX + key) ?? 'null')
    } catch {
      return null
    }
  },
  set(key, copy) {
    try {
      storage?.setItem(LOCAL_PREFIX + key, JSON.stringify(copy))
    } catch {
      // Storage full or refused: the server copy is then the only one, as before.
    }
  },
  remove(key) {
    storage?.removeItem(LOCAL_PREFIX + key)
  },
  clearAll() {
    if (!storage) return
    for (const item of Object.keys(storage)) if (item.startsWith(LOCAL_PREFIX)) storage.removeItem(item)
  },
}

function fieldsOf(form) {
  const data = {}
  for (const [name, value] of new FormData(form)) {
    if (name.startsWith('_') || typeof value !== 'string') continue
    if (name in data) data[name] = [].concat(data[name], value)
    else data[name] = value
  }
  return data
}

/** Puts saved fields back into the form (text, radios, checkboxes, selects, hidden version). */
function fill(form, data) {
  for (const el of form.elements) {
    if (!el.name || el.name.startsWith('_')) continue
    const values = el.name in data ? [].concat(data[el.name]).map(String) : null
    if (el.type === 'radio' || el.type === 'checkbox') el.checked = values ? values.includes(el.value) : false
    else if (!values || ['submit', 'button', 'file', 'reset'].includes(el.type)) continue
    else if (el.tagName === 'SELECT' && el.multiple) for (const o of el.options) o.selected = values.includes(o.value)
    else el.value = values[0] ?? ''
  }
}

/** Whether the server still has a signed-in session for this browser (without extending it). */
async function signedIn() {
  try {
    const response = await fetch('/session/status', { headers: { accept: 'application/json' }, credentials: 'same-origin' })
    return response.ok ? (await response.json()).signedIn === true : true
  } catch {
    return true
  }
}

function statusOf(form) {
  let status = form.querySelector('[data-autosave-status]')
  if (!status) {
    status = document.createElement('p')
    status.className = 'govuk-body-s'
    status.setAttribute('role', 'status')
    status.setAttribute('aria-live', 'polite')
    status.dataset.autosaveStatus = ''
    form.append(status)
  }
  return status
}

let banners = 0

/** A GOV.UK notification banner above the form saying what was put back (and offering `action`). */
function restoredBanner(form, heading, detail, action) {
  const banner = document.createElement('div')
  banner.className = 'govuk-notification-banner'
  banner.setAttribute('role', 'region')
  const titleId = `draft-restored-title-${++banners}`
  banner.setAttribute('aria-labelledby', titleId)
  const header = document.createElement('div')
  header.className = 'govuk-notification-banner__header'
  const title = document.createElement('h2')
  title.className = 'govuk-notification-banner__title'
  title.id = titleId
  title.textContent = 'Draft restored'
  header.append(title)
  const content = document.createElement('div')
  content.className = 'govuk-notification-banner__content'
  const p = document.createElement('p')
  p.className = 'govuk-notification-banner__heading'
  p.dataset.qa = 'draft-restored'
  p.textContent = heading
  const more = document.createElement('p')
  more.className = 'govuk-body'
  more.textContent = detail
  content.append(p, more, action)
  banner.append(header, content)
  form.before(banner)
}

const flushers = []

/** Sends a form whose submit event was held back; later, as a form still firing its submit event ignores requestSubmit. */
function resubmit(form, submitter) {
  setTimeout(() => form.requestSubmit(submitter ?? undefined), 0)
}

function autosave(form) {
  const perTab = 'autosavePerTab' in form.dataset
  const key = perTab ? `${form.dataset.autosave}:tab-${tabId()}` : form.dataset.autosave
  const url = `/api/v1/drafts/${encodeURIComponent(key)}`
  const status = statusOf(form)
  let timer
  let lastSaved = JSON.stringify(fieldsOf(form))
  let edited = false
  let submitted = false
  let sending = false
  let discarded = false

  /** "Discard this draft": forgets the server's draft and the tab's copy, and opens the form afresh. */
  const discardButton = () => {
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0'
    button.dataset.qa = 'discard-restored-draft'
    button.textContent = 'Discard this draft'
    button.addEventListener('click', async () => {
      discarded = true
      clearTimeout(timer)
      local.remove(key)
      try {
        await fetch(url, { method: 'DELETE', headers: { accept: 'application/json', 'x-csrf-token': csrf }, credentials: 'same-origin' })
      } finally {
        window.location.reload()
      }
    })
    return button
  }

  const keyField = document.createElement('input')
  keyField.type = 'hidden'
  keyField.name = '_draftKey'
  keyField.value = key
  form.prepend(keyField)

  const signedOutNotice = () => {
    const link = document.createElement('a')
    link.className = 'govuk-link'
    link.href = window.location.pathname + window.location.search
    link.textContent = 'Sign in again to carry on'
    link.dataset.qa = 'sign-in-again'
    status.replaceChildren(
      'You have been signed out, so this has not been saved yet. What you typed is kept in this browser tab. ',
      link,
      ' and it will be put back in this form.',
    )
  }

  /** Sends the fields; 'saved', 'unchanged', 'signed-out' or 'failed'. */
  const save = async ({ leaving = false, force = false } = {}) => {
    clearTimeout(timer)
    if (!edited || submitted || discarded || !csrf) return 'unchanged'
    const json = JSON.stringify(fieldsOf(form))
    if (json === lastSaved && !force) return 'unchanged'
    try {
      const response = await fetch(url, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
        credentials: 'same-origin',
        body: json,
        keepalive: leaving,
      })
      if (response.status === 401 || response.status === 403) {
        if (!(await signedIn())) {
          local.set(key, { json, signedOut: true })
          if (!leaving) signedOutNotice()
          return 'signed-out'
        }
      }
      if (!response.ok) throw new Error(String(response.status))
      lastSaved = json
      if (local.get(key)?.json === json) local.remove(key)
      document.dispatchEvent(new CustomEvent('together:activity'))
      if (!leaving) status.textContent = `Draft saved at ${timeFormat.format(new Date())}`
      return 'saved'
    } catch {
      if (!leaving) status.textContent = 'Your draft could not be saved. Save the form to keep your work.'
      return 'failed'
    }
  }
  flushers.push(() => save({ force: true }))

  const changed = () => {
    edited = true
    local.set(key, { json: JSON.stringify(fieldsOf(form)), signedOut: local.get(key)?.signedOut === true })
    clearTimeout(timer)
    timer = setTimeout(save, DEBOUNCE_MS)
  }

  form.addEventListener('input', changed)
  form.addEventListener('change', changed)
  form.addEventListener('submit', async (event) => {
    if (submitted) return
    // Check the session before sending: a form sent after the session ended is refused and its
    // page left. Saving the draft checks it (and leaves the server a copy if the save then fails).
    event.preventDefault()
    if (sending) return
    sending = true
    const outcome = edited ? await save({ force: true }) : (await signedIn()) ? 'unchanged' : 'signed-out'
    sending = false
    if (outcome === 'signed-out') {
      if (!edited) signedOutNotice()
      status.setAttribute('role', 'alert')
      return
    }
    submitted = true
    clearTimeout(timer)
    resubmit(form, event.submitter)
  })
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') save({ leaving: true })
  })
  window.addEventListener('pagehide', () => save({ leaving: true }))

  // The time-out warning (app.js) opens this dialog shortly before signing the user out.
  const dialog = document.getElementById('timeout-dialog')
  if (dialog) {
    new MutationObserver(() => {
      if (dialog.open) save()
    }).observe(dialog, { attributes: true, attributeFilter: ['open'] })
  }

  // Put back what this tab had typed: the copy the server never acknowledged, else the form's
  // draft on the server (unless the page has put it back itself, or shows what was just sent).
  if (!('autosaveRestore' in form.dataset) || form.ownerDocument.querySelector('.govuk-error-summary')) return
  const copy = local.get(key)
  if (copy && typeof copy.json === 'string' && copy.json !== lastSaved) {
    fill(form, JSON.parse(copy.json))
    edited = true
    lastSaved = ''
    restoredBanner(
      form,
      copy.signedOut ? 'We restored what you typed before you were signed out' : 'We restored what you typed before you left this page',
      'Check it, then save it.',
      discardButton(),
    )
    timer = setTimeout(save, 0)
  } else if (!form.ownerDocument.querySelector('[data-qa=draft-restored]')) {
    fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then((response) => (response.ok ? response.json() : null))
      .then((draft) => {
        if (!draft?.data || edited) return
        fill(form, draft.data)
        const restored = JSON.stringify(fieldsOf(form))
        if (restored === lastSaved) return // the draft says what the form already says
        lastSaved = restored
        restoredBanner(form, `Restored your unsaved draft from ${timeFormat.format(new Date(draft.savedAt))}`, 'Check it, then save it.', discardButton())
      })
      .catch(() => {})
  }
}

for (const form of document.querySelectorAll('form[data-autosave]')) autosave(form)

// Signing out on purpose: give the server every draft first, then forget the tab's copies, so a
// shared computer keeps nothing of a child's record once its user has signed out.
for (const form of document.querySelectorAll('form[action="/sign-out"]')) {
  let flushed = false
  form.addEventListener('submit', async (event) => {
    if (flushed) return
    event.preventDefault()
    await Promise.race([Promise.all(flushers.map((flush) => flush())), new Promise((resolve) => setTimeout(resolve, 3000))])
    local.clearAll()
    flushed = true
    resubmit(form, event.submitter)
  })
}
