export const id = 282;
export const ids = [282];
export const modules = {

/***/ 5282:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createIssuesApi: () => (/* binding */ createIssuesApi)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(542);

/** The REST API through @actions/github's octokit, at GITHUB_API_URL, with the job's token. */
function createIssuesApi(settings) {
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(settings.token, { baseUrl: settings.apiUrl });
    const [owner, repo] = settings.repository.split('/');
    return {
        async ensureLabel(name, description) {
            try {
                await octokit.rest.issues.getLabel({ owner, repo, name });
            }
            catch (error) {
                if (error.status !== 404)
                    throw error;
                await octokit.rest.issues.createLabel({ owner, repo, name, description, color: 'd73a4a' }).catch((e) => {
                    // Another run created it in between.
                    if (e.status !== 422)
                        throw e;
                });
            }
        },
        async listOpen(label) {
            const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, labels: label, state: 'open', per_page: 100 });
            // The issues list holds pull requests too; they carry a `pull_request` field.
            return issues.filter((i) => !i.pull_request).map((i) => ({ number: i.number, body: i.body ?? '', url: i.html_url }));
        },
        async create(issue) {
            const { data } = await octokit.rest.issues.create({ owner, repo, ...issue });
            return { number: data.number, body: data.body ?? '', url: data.html_url };
        },
        async comment(number, body) {
            await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body });
        },
        async close(number) {
            await octokit.rest.issues.update({ owner, repo, issue_number: number, state: 'closed', state_reason: 'completed' });
        }
    };
}


/***/ })

};
