// Client behaviour: GOV.UK Frontend components, wide tables, filtered lists and the session time-out warning.
import { initAll } from '/assets/govuk-frontend.min.js'

initAll()

// Wide tables: each table sits in a box (.app-table-scroll in the stylesheet) that scrolls sideways
// when the table is wider than the screen, so the page never does. While it scrolls the box is a
// region, named by the table's caption (or the heading before the table), and a tab stop, so the
// keyboard can scroll it; while it does not, it is a plain box and no extra tab stop.
const headingBefore = (element) => {
  for (let el = element; el && el !== document.body; el = el.parentElement) {
    for (let sibling = el.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
      if (/^H[1-6]$/.test(sibling.tagName)) return sibling.textContent.trim()
    }
  }
  return 'Table'
}
const tableBoxes = []
for (const [index, table] of document.querySelectorAll('table.govuk-table').entries()) {
  const box = document.createElement('div')
  box.className = 'app-table-scroll'
  table.before(box)
  box.append(table)
  const caption = table.querySelector(':scope > caption')
  if (caption && !caption.id) caption.id = `app-table-caption-${index + 1}`
  tableBoxes.push({ box, caption, name: caption ? null : headingBefore(box) })
}
const markScrollingTables = () => {
  for (const { box, caption, name } of tableBoxes) {
    if (box.scrollWidth > box.clientWidth) {
      box.setAttribute('role', 'region')
      box.setAttribute('tabindex', '0')
      if (caption) box.setAttribute('aria-labelledby', caption.id)
      else box.setAttribute('aria-label', name)
    } else {
      for (const attribute of ['role', 'tabindex', 'aria-labelledby', 'aria-label']) box.removeAttribute(attribute)
    }
  }
}
if (tableBoxes.length) {
  markScrollingTables()
  window.addEventListener('resize', markScrollingTables)
}

// Lists filtered by another choice: a select marked data-app-filter-by="<id of another select>"
// holds its options in groups (<optgroup data-group="<value>">) and lists only the group of the
// value chosen there (every group while nothing is chosen). A choice no longer listed is cleared.
// Without scripts every group shows, labelled, and the server checks the two agree.
for (const select of document.querySelectorAll('select[data-app-filter-by]')) {
  const by = document.getElementById(select.dataset.appFilterBy)
  if (!by) continue
  const groups = [...select.querySelectorAll('optgroup[data-group]')]
  const filter = () => {
    const current = select.value
    for (const group of groups) group.remove()
    for (const group of groups) if (!by.value || group.dataset.group === by.value) select.append(group)
    select.value = [...select.options].some((option) => option.value === current) ? current : ''
  }
  by.addEventListener('change', filter)
  filter()
}

// Lists of rows with "Add another" (data-app-add-another="<list>", rows named <list>-<n>-<field>;
// child-protection/macros.njk). Without scripts the button posts the form, which comes back with
// one more blank row and nothing typed lost. Here it adds the blank row kept in the list's
// <template>, numbered after the last row, counts it in the form's <list>Rows field (so a form
// refused by the server shows it again) and moves the focus to its first field.
for (const list of document.querySelectorAll('[data-app-add-another]')) {
  const name = list.dataset.appAddAnother
  const template = list.querySelector('template[data-app-add-another-template]')
  const button = list.querySelector(`button[name="addRow"][value="${name}"]`)
  const count = list.closest('form')?.querySelector(`input[name="${name}Rows"]`)
  if (!template || !button || !count) continue
  const first = template.content.querySelector('[data-app-add-another-row] [name]')
  const numbered = new RegExp(`^${name}-(\\d+)-`)
  const templateIndex = first ? Number(numbered.exec(first.getAttribute('name'))?.[1]) : NaN
  button.addEventListener('click', (event) => {
    if (Number.isNaN(templateIndex)) return
    event.preventDefault()
    const index = list.querySelectorAll(':scope > [data-app-add-another-row]').length
    const row = template.content.firstElementChild.cloneNode(true)
    const from = `${name}-${templateIndex}-`
    const to = `${name}-${index}-`
    for (const element of row.querySelectorAll('[id], [name], [for], [aria-describedby]')) {
      for (const attribute of ['id', 'name', 'for', 'aria-describedby']) {
        const value = element.getAttribute(attribute)
        if (value) element.setAttribute(attribute, value.split(from).join(to))
      }
    }
    const legend = row.querySelector('legend')
    if (legend) legend.textContent = legend.textContent.replace(/\d+(\s*)$/, `${index + 1}$1`)
    template.before(row)
    count.value = String(index + 1)
    row.querySelector('input:not([type="hidden"]), select, textarea')?.focus()
  })
}

const body = document.body
const idleSeconds = Number(body.dataset.sessionIdleSeconds)
const dialog = document.getElementById('timeout-dialog')

if (idleSeconds > 0 && dialog) {
  const warnBefore = Math.min(120, Math.floor(idleSeconds / 2))
  const countdown = dialog.querySelector('[data-timeout-countdown]')
  const stay = dialog.querySelector('[data-timeout-stay]')
  const csrf = body.dataset.csrfToken
  let deadline = 0
  let warnTimer
  let tick

  // The session's idle time restarts with every request of any tab. Before warning and before
  // signing out, ask the server how long the session really has (GET /session/status does not
  // extend it): another tab may have kept it alive, and then this one waits again instead.
  const arm = (seconds = idleSeconds) => {
    deadline = Date.now() + seconds * 1000
    clearTimeout(warnTimer)
    warnTimer = setTimeout(warn, Math.max(0, seconds - warnBefore) * 1000)
  }

  /** Seconds the session has left on the server; null when the server could not be asked. */
  const secondsLeft = async () => {
    try {
      const response = await fetch('/session/status', { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      if (!response.ok) return null
      const status = await response.json()
      return status.signedIn ? Number(status.secondsLeft) : 0
    } catch {
      return null
    }
  }

  /** Re-arms (closing the warning) when the session has more than the warning time left. */
  let asking = false
  const checkServer = async () => {
    if (asking) return 'asking'
    asking = true
    const left = await secondsLeft()
    asking = false
    if (left === null) return 'unknown'
    if (left === 0) return 'ended'
    if (left > warnBefore) {
      clearInterval(tick)
      if (dialog.open) dialog.close()
      arm(left)
      return 're-armed'
    }
    deadline = Date.now() + left * 1000
    return 'ending'
  }

  // Called once the time is up: a POST with the CSRF token ends the session if the server still
  // has it (refused harmlessly if it has already ended), then GET /timed-out, which signs nobody
  // out (a GET changes nothing) and only leads to the sign-in page that says why.
  // Once only: a second navigation would cancel the first after its response had already
  // cleared the signed-in cookie, and the sign-in page would no longer say why.
  let leaving = false
  const signOut = async () => {
    clearInterval(tick)
    if (leaving) return
    leaving = true
    await fetch('/timed-out', { method: 'POST', headers: { 'x-csrf-token': csrf }, credentials: 'same-origin' }).catch(() => null)
    window.location.href = '/timed-out'
  }

  const render = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000))
    if (left === 0) {
      checkServer().then((outcome) => {
        if (outcome === 'ended' || outcome === 'unknown') signOut()
      })
      return
    }
    // While the warning is open, another tab may be in use (or may have signed out): ask every 10 seconds.
    if (left % 10 === 0) {
      checkServer().then((outcome) => {
        if (outcome === 'ended') signOut()
      })
    }
    const minutes = Math.floor(left / 60)
    const seconds = left % 60
    countdown.textContent = minutes > 0 ? `${minutes} minute${minutes === 1 ? '' : 's'} ${seconds} seconds` : `${seconds} seconds`
  }

  const warn = async () => {
    const outcome = await checkServer()
    if (outcome === 're-armed' || outcome === 'asking') return
    if (outcome === 'ended') {
      signOut()
      return
    }
    render()
    dialog.showModal()
    stay.focus()
    tick = setInterval(render, 1000)
  }

  stay.addEventListener('click', async () => {
    const response = await fetch('/session/keep-alive', {
      method: 'POST',
      headers: { 'x-csrf-token': csrf, accept: 'application/json' },
      credentials: 'same-origin',
    })
    if (!response.ok) {
      signOut()
      return
    }
    clearInterval(tick)
    dialog.close()
    arm()
  })

  dialog.addEventListener('cancel', (event) => event.preventDefault())

  // A draft saved (drafts.js) was a request, so the server's idle time restarted: follow it.
  let lastRequest = Date.now()
  document.addEventListener('together:activity', () => {
    lastRequest = Date.now()
    clearInterval(tick)
    if (dialog.open) dialog.close()
    arm()
  })
  // Typing is activity too, even in a form that keeps no draft: tell the server now and then.
  const typingEvery = Math.min(60, Math.floor(idleSeconds / 4)) * 1000
  document.addEventListener('input', async (event) => {
    if (dialog.contains(event.target) || Date.now() - lastRequest < typingEvery) return
    lastRequest = Date.now()
    const response = await fetch('/session/keep-alive', {
      method: 'POST',
      headers: { 'x-csrf-token': csrf, accept: 'application/json' },
      credentials: 'same-origin',
    }).catch(() => null)
    if (response?.ok) document.dispatchEvent(new CustomEvent('together:activity'))
  })
  arm()
}

// Body maps: clicking the outline of the body on a mark's form chooses the mark's place there
// (the hidden x and y) and the nearest part of the body on that side in the list, which stays the
// way to choose without a pointer. The place is shown as a blue circle and said in words.
const regionSelect = document.querySelector('[data-body-map-region]')
if (regionSelect) {
  const [xInput, yInput] = [document.querySelector('[data-body-map-x]'), document.querySelector('[data-body-map-y]')]
  const status = document.querySelector('[data-body-map-status]')
  const svgNs = 'http://www.w3.org/2000/svg'
  let chosen = null
  const show = (svg, x, y) => {
    chosen?.remove()
    chosen = document.createElementNS(svgNs, 'g')
    chosen.setAttribute('class', 'app-body-map__mark app-body-map__mark--chosen')
    const circle = document.createElementNS(svgNs, 'circle')
    circle.setAttribute('cx', x)
    circle.setAttribute('cy', y)
    circle.setAttribute('r', '4.5')
    chosen.append(circle)
    svg.append(chosen)
  }
  for (const svg of document.querySelectorAll('[data-body-map-picker]')) {
    svg.addEventListener('click', (event) => {
      const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse())
      const [x, y] = [Math.round(point.x), Math.round(point.y)]
      const side = svg.dataset.bodyMapPicker
      let nearest = null
      for (const option of regionSelect.options) {
        if (option.dataset.side !== side) continue
        const d = (Number(option.dataset.x) - x) ** 2 + (Number(option.dataset.y) - y) ** 2
        if (!nearest || d < nearest.d) nearest = { option, d }
      }
      if (!nearest) return
      regionSelect.value = nearest.option.value
      xInput.value = String(x)
      yInput.value = String(y)
      show(svg, x, y)
      status.textContent = `Place chosen on the outline, near: ${nearest.option.textContent}.`
    })
  }
  // Choosing from the list puts the mark in the middle of that part of the body.
  regionSelect.addEventListener('change', () => {
    xInput.value = ''
    yInput.value = ''
    chosen?.remove()
    chosen = null
    status.textContent = ''
  })
}
