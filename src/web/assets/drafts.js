// Draft autosave: every form with data-autosave="<key>" saves its fields to the user's draft
// (PUT /api/v1/drafts/<key>) a second after typing stops, when the page is hidden or left, and
// as soon as the session time-out warning opens, so a timed-out session loses nothing. The
// page that shows the form again restores the draft (server side); saving the form discards it.

const DEBOUNCE_MS = 1000
const body = document.body
const csrf = body.dataset.csrfToken
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })

function fieldsOf(form) {
  const data = {}
  for (const [name, value] of new FormData(form)) {
    if (name === '_csrf' || typeof value !== 'string') continue
    if (name in data) data[name] = [].concat(data[name], value)
    else data[name] = value
  }
  return data
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

function autosave(form) {
  const key = form.dataset.autosave
  const url = `/api/v1/drafts/${encodeURIComponent(key)}`
  const status = statusOf(form)
  let timer
  let lastSaved = JSON.stringify(fieldsOf(form))
  let edited = false
  let submitted = false

  const save = async ({ leaving = false } = {}) => {
    clearTimeout(timer)
    if (!edited || submitted || !csrf) return
    const json = JSON.stringify(fieldsOf(form))
    if (json === lastSaved) return
    try {
      const response = await fetch(url, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
        credentials: 'same-origin',
        body: json,
        keepalive: leaving,
      })
      if (!response.ok) throw new Error(String(response.status))
      lastSaved = json
      if (!leaving) status.textContent = `Draft saved at ${timeFormat.format(new Date())}`
    } catch {
      if (!leaving) status.textContent = 'Your draft could not be saved. Save the form to keep your work.'
    }
  }

  const changed = () => {
    edited = true
    clearTimeout(timer)
    timer = setTimeout(save, DEBOUNCE_MS)
  }

  form.addEventListener('input', changed)
  form.addEventListener('change', changed)
  form.addEventListener('submit', () => {
    submitted = true
    clearTimeout(timer)
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
}

for (const form of document.querySelectorAll('form[data-autosave]')) autosave(form)
