package bench

// Questions are realistic questions about the embedded report, as people
// ask them (taken from the answer-quality question set, two of them
// off-topic), for measuring search speed. They are not used to answer.
var Questions = []string{
	"2024年GDP增长目标是多少?",
	"今年固定资产投资要增长多少",
	"人大代表建议办理满意率是多少",
	"渝中发展面临哪些困难和挑战?",
	"渝中有多少人才?",
	"2024年的工作导向是什么",
	"政务公开工作做得怎么样",
	"民间投资情况如何",
	"这份政府工作报告是哪天作的?",
	"明天重庆天气怎么样?",
}
